package main

// Content libraries on the launcher's REST API.
//
// -content-library NAME creates at start a local library NAME on the first datastore with a VM
// template item "vm-operator-vmtx" (made from the first -templates template) and an OVF item
// "vm-operator-ovf" (1 vCPU, 32 MB, a NIC on "VM Network").
//
// The gate in front of the vapi simulator adds what the simulator lacks:
//   - a library item's content_version (the simulator reports none): every item starts at 1 and
//     /vcsim/rest/publish raises it, as a new upload or a template check-in does in vCenter;
//   - a VM template deploy yields a VM (the simulator clones with Template=true, so the deployed
//     VM would be a template), and every deployed VM gets the launcher's task behaviour;
//   - an OVF deploy refuses a name its folder holds or another deploy or clone is creating
//     (already_exists), as a VM template deploy does through the launcher's clone;
//   - deploys carry their Notes: a VM template deploy's description and an OVF deploy's
//     annotation (both ignored by the simulator) are the new VM's config.annotation by the time
//     the deploy answers.
//
// Control endpoint:
//
//	POST /vcsim/rest/publish?item=NAME    raises the content version of the items of that name;
//	                                      replies with the new version

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vapi/library"
	"github.com/vmware/govmomi/vapi/rest"
	"github.com/vmware/govmomi/vapi/vcenter"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

var contentLibraryFlag = flag.String("content-library", "", "create a content library of this name with the items vm-operator-vmtx (VM template) and vm-operator-ovf (OVF)")

const (
	vmtxItem       = "vm-operator-vmtx"
	ovfItem        = "vm-operator-ovf"
	itemPathPrefix = "/rest/com/vmware/content/library/item/id:"
	vmtxDeployPath = "/rest/vcenter/vm-template/library-items/"
	ovfDeployPath  = "/rest/com/vmware/vcenter/ovf/library-item/id:"
)

// The OVF item's package: what the simulator's CreateImportSpec understands, without disk files.
const ovfDescriptor = `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"
  xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
  xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData">
  <NetworkSection><Info>networks</Info><Network ovf:name="VM Network"><Description>the guest network</Description></Network></NetworkSection>
  <VirtualSystem ovf:id="vm-operator-ovf">
    <Info>a library test package</Info>
    <Name>vm-operator-ovf</Name>
    <VirtualHardwareSection>
      <Info>hardware</Info>
      <System><vssd:ElementName>Virtual Hardware Family</vssd:ElementName><vssd:InstanceID>0</vssd:InstanceID><vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType></System>
      <Item><rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits><rasd:ElementName>1 vCPU</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>
      <Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ElementName>32MB of memory</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>32</rasd:VirtualQuantity></Item>
      <Item><rasd:AutomaticAllocation>true</rasd:AutomaticAllocation><rasd:Connection>VM Network</rasd:Connection><rasd:ElementName>Ethernet 1</rasd:ElementName><rasd:InstanceID>3</rasd:InstanceID><rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType><rasd:ResourceType>10</rasd:ResourceType></Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`

// libraryRoute answers the library requests the gate changes; false for any other request.
func (g *restGate) libraryRoute(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(p, itemPathPrefix):
		g.withContentVersion(w, r, strings.TrimPrefix(p, itemPathPrefix))
	case r.Method == http.MethodPost && strings.HasPrefix(p, vmtxDeployPath):
		g.deployed(w, r, deployNotes(r, false), func(v json.RawMessage) string {
			var id string
			_ = json.Unmarshal(v, &id)
			return id
		})
	case r.Method == http.MethodPost && strings.HasPrefix(p, ovfDeployPath):
		release, refused := reserveOvfName(w, r)
		if refused {
			return true
		}
		defer release()
		g.deployed(w, r, deployNotes(r, true), func(v json.RawMessage) string {
			var d struct {
				Succeeded  bool `json:"succeeded"`
				ResourceID *struct {
					ID string `json:"id"`
				} `json:"resource_id"`
			}
			if json.Unmarshal(v, &d) != nil || !d.Succeeded || d.ResourceID == nil {
				return ""
			}
			return d.ResourceID.ID
		})
	default:
		return false
	}
	return true
}

// reserveOvfName refuses an OVF deploy whose VM name the target folder holds or another deploy or
// clone into it is creating, as vCenter does (the simulator's ImportVApp takes any name), and
// otherwise holds the name until release is called. The body is kept for the handler that follows.
func reserveOvfName(w http.ResponseWriter, r *http.Request) (release func(), refused bool) {
	none := func() {}
	body, err := ioutil.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return none, true
	}
	r.Body = ioutil.NopCloser(bytes.NewReader(body))
	var d struct {
		Target struct {
			FolderID string `json:"folder_id"`
		} `json:"target"`
		Spec struct {
			Name string `json:"name"`
		} `json:"deployment_spec"`
	}
	if !enforceUniqueNames || json.Unmarshal(body, &d) != nil || d.Target.FolderID == "" {
		return none, false
	}
	key := folderName{types.ManagedObjectReference{Type: "Folder", Value: d.Target.FolderID}, d.Spec.Name}
	if fault := reserveName(key); fault != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		msg, _ := json.Marshal(fault.LocalizedMessage)
		fmt.Fprintf(w, `{"type":"com.vmware.vapi.std.errors.already_exists","value":{"messages":[{"id":"vcsim.duplicate","default_message":%s,"args":[]}]}}`, msg)
		return none, true
	}
	return func() {
		reserved.Lock()
		delete(reserved.names, key)
		reserved.Unlock()
	}, false
}

func (g *restGate) withContentVersion(w http.ResponseWriter, r *http.Request, id string) {
	rec := httptest.NewRecorder()
	g.vapi.ServeHTTP(rec, r)
	var body struct {
		Value map[string]interface{} `json:"value"`
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.Value == nil {
		copyResponse(w, rec, nil)
		return
	}
	g.mu.Lock()
	version := g.versions[id] + 1
	g.mu.Unlock()
	body.Value["content_version"] = strconv.Itoa(version)
	out, _ := json.Marshal(body)
	copyResponse(w, rec, out)
}

// deployNotes is the Notes a deploy asks for: a VM template deploy's description (ovf false) or an
// OVF deploy's annotation. The body is kept for the handler that follows.
func deployNotes(r *http.Request, ovf bool) string {
	body, err := ioutil.ReadAll(r.Body)
	r.Body = ioutil.NopCloser(bytes.NewReader(body))
	if err != nil {
		return ""
	}
	var d struct {
		Template struct {
			Description string `json:"description"`
		} `json:"spec"`
		OVF struct {
			Annotation string `json:"annotation"`
		} `json:"deployment_spec"`
	}
	if json.Unmarshal(body, &d) != nil {
		return ""
	}
	if ovf {
		return d.OVF.Annotation
	}
	return d.Template.Description
}

// deployed passes a deploy on and makes the VM it created one of the launcher's, with the deploy's
// Notes.
func (g *restGate) deployed(w http.ResponseWriter, r *http.Request, notes string, vmOf func(json.RawMessage) string) {
	rec := httptest.NewRecorder()
	g.vapi.ServeHTTP(rec, r)
	if rec.Code == http.StatusOK {
		if id := vmOf(value(rec.Body.Bytes())); id != "" {
			ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: id}
			wrapVM(ref)
			obj := simulator.Map.Get(ref)
			if vm := machine(obj); vm != nil && vm.Config != nil && vm.Config.Template {
				simulator.Map.WithLock(obj, func() {
					simulator.Map.Update(obj, []types.PropertyChange{
						{Name: "config.template", Val: false},
						{Name: "summary.config.template", Val: false},
					})
				})
			}
			if notes != "" {
				setNotes(ref, notes)
			}
		}
	}
	copyResponse(w, rec, nil)
}

// setNotes gives a deployed VM its Notes with the simulator's own ReconfigVM_Task, run in process
// as the launcher's administrator: a SOAP session of its own would show in the session counts
// tests read, and would wait out the call delays and credential changes tests inject. The
// simulator's reconfigure neither announces the change nor keeps the summary, so this does.
func setNotes(ref types.ManagedObjectReference, notes string) {
	obj := simulator.Map.Get(ref)
	vm := machine(obj)
	if vm == nil {
		return
	}
	ctx := controlContext()
	ctx.Caller = &ref
	simulator.Map.WithLock(obj, func() {
		if simulator.Map.Get(ref) == nil {
			return // destroyed since the deploy made it: no Notes to keep
		}
		body := vm.ReconfigVMTask(ctx, &types.ReconfigVM_Task{
			This: ref, Spec: types.VirtualMachineConfigSpec{Annotation: notes}}).(*methods.ReconfigVM_TaskBody)
		if err := taskError(body.Res.Returnval); err != nil {
			log.Printf("Notes of deployed VM %s: %v", ref.Value, err)
			return
		}
		vm.Summary.Config.Annotation = notes
		simulator.Map.Update(obj, []types.PropertyChange{
			{Name: "config.annotation", Val: notes},
			{Name: "summary.config.annotation", Val: notes},
		})
	})
}

func (g *restGate) publish(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("item")
	var ids []string
	if err := g.adminCall(http.MethodPost, "/rest/com/vmware/content/library/item?~action=find",
		map[string]interface{}{"spec": map[string]string{"name": name}}, &ids); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if len(ids) == 0 {
		http.Error(w, "no library item "+name, http.StatusNotFound)
		return
	}
	g.mu.Lock()
	version := 0
	for _, id := range ids {
		g.versions[id]++
		version = g.versions[id] + 1
	}
	g.mu.Unlock()
	fmt.Fprintln(w, version)
}

// createContentLibrary creates what -content-library asks for, through the REST API as an
// administrator would.
func createContentLibrary(u *url.URL, name, template string) error {
	if name == "" {
		return nil
	}
	if template == "" {
		return fmt.Errorf("-content-library needs a template (-templates)")
	}
	return asAdministrator(u, func(ctx context.Context, c *govmomi.Client) error {
		rc := rest.NewClient(c.Client)
		if err := rc.Login(ctx, u.User); err != nil {
			return fmt.Errorf("REST login: %v", err)
		}
		defer rc.Logout(ctx)
		return createLibrary(ctx, c, rc, name, template)
	})
}

func createLibrary(ctx context.Context, c *govmomi.Client, rc *rest.Client, name, template string) error {
	finder := find.NewFinder(c.Client, true)
	dc, err := finder.DefaultDatacenter(ctx)
	if err != nil {
		return err
	}
	finder.SetDatacenter(dc)
	source, err := finder.VirtualMachine(ctx, template)
	if err != nil {
		return err
	}
	pools, err := finder.ResourcePoolList(ctx, "*")
	if err != nil || len(pools) == 0 {
		return fmt.Errorf("no resource pool: %v", err)
	}
	folders, err := dc.Folders(ctx)
	if err != nil {
		return err
	}
	stores, err := finder.DatastoreList(ctx, "*")
	if err != nil || len(stores) == 0 {
		return fmt.Errorf("no datastore: %v", err)
	}
	lm := library.NewManager(rc)
	libID, err := lm.CreateLibrary(ctx, library.Library{
		Name:    name,
		Type:    "LOCAL",
		Storage: []library.StorageBackings{{DatastoreID: stores[0].Reference().Value, Type: "DATASTORE"}},
	})
	if err != nil {
		return err
	}
	if _, err := vcenter.NewManager(rc).CreateTemplate(ctx, vcenter.Template{
		Name:      vmtxItem,
		Library:   libID,
		SourceVM:  source.Reference().Value,
		Placement: &vcenter.Placement{Folder: folders.VmFolder.Reference().Value, ResourcePool: pools[0].Reference().Value},
	}); err != nil {
		return fmt.Errorf("VM template item: %v", err)
	}
	itemID, err := lm.CreateLibraryItem(ctx, library.Item{Name: ovfItem, Type: library.ItemTypeOVF, LibraryID: libID})
	if err != nil {
		return err
	}
	session, err := lm.CreateLibraryItemUpdateSession(ctx, library.Session{LibraryItemID: itemID})
	if err != nil {
		return err
	}
	file, err := lm.AddLibraryItemFile(ctx, session, library.UpdateFile{
		Name: ovfItem + ".ovf", SourceType: "PUSH", Size: int64(len(ovfDescriptor))})
	if err != nil {
		return err
	}
	target, err := url.Parse(file.UploadEndpoint.URI)
	if err != nil {
		return err
	}
	upload := soap.DefaultUpload
	upload.ContentLength = int64(len(ovfDescriptor))
	if err := rc.Upload(ctx, strings.NewReader(ovfDescriptor), target, &upload); err != nil {
		return fmt.Errorf("OVF upload: %v", err)
	}
	return lm.CompleteLibraryItemUpdateSession(ctx, session)
}
