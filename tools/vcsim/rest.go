package main

// vCenter's REST API (govmomi's vapi/simulator) on the simulator's own server, with a gate in front
// that makes it behave more like vCenter and lets tests break it on purpose.
//
// The vapi simulator serves /rest only (vSphere 6.5-7's rendering; /api is not served, so clients
// fall back to /rest). It is registered by hand rather than through Service.RegisterEndpoints, so
// the gate can sit in front of it. The gate:
//   - accepts a REST login only with the credentials the SOAP Login accepts (the vapi simulator
//     takes any non-empty pair), also after /vcsim/credentials changed them;
//   - reports a library item's content_version (the simulator has none): every item starts at 1,
//     /vcsim/rest/publish raises it, as a new upload or a template check-in does in vCenter;
//   - turns a VM template deploy's result into a VM (the simulator's deploy clones with
//     Template=true, so the deployed VM would be a template) and makes an OVF deploy's VM
//     asynchronous like every other VM of the launcher;
//   - injects faults: REST calls hang or answer an HTTP error while SOAP works.
//
// -content-library NAME creates at start a local library NAME on the first datastore with a VM
// template item "vm-operator-vmtx" (made from the first -templates template, its backing template
// in the datacenter's VM folder) and an OVF item "vm-operator-ovf" (1 vCPU, 32 MB, a NIC on
// "VM Network"). -tag-category NAME=TAG[,TAG...] creates a tag category for VMs with those tags.
//
// Control endpoints (see control.go for the rest):
//
//	POST /vcsim/rest/fault?mode=hang|error|none&status=503
//	                                      REST calls (login included) hang until the mode changes
//	                                      or the client gives up, or answer with that HTTP status
//	                                      and a vAPI error body; none ends it
//	POST /vcsim/rest/publish?item=NAME    raises the content version of the items of that name;
//	                                      replies with the new version
//	POST /vcsim/rest/detach-tag?tag=ID&vm=vm-42
//	                                      detaches a tag from a VM, as an administrator would
//	POST /vcsim/rest/terminate-sessions   ends every REST session (the next call of each client is
//	                                      answered 401); replies with the number ended
//	GET  /vcsim/rest/sessions             REST sessions logged in and not logged out or ended

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
	"sync"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vapi/library"
	"github.com/vmware/govmomi/vapi/rest"
	vapisim "github.com/vmware/govmomi/vapi/simulator"
	"github.com/vmware/govmomi/vapi/tags"
	"github.com/vmware/govmomi/vapi/vcenter"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

var (
	contentLibrary = flag.String("content-library", "", "create a content library of this name with the items vm-operator-vmtx (VM template) and vm-operator-ovf (OVF)")
	tagCategory    = flag.String("tag-category", "", "create a tag category for VMs with tags: NAME=TAG[,TAG...], e.g. env=prod,test")
)

const (
	vmtxItem       = "vm-operator-vmtx"
	ovfItem        = "vm-operator-ovf"
	sessionPath    = "/rest/com/vmware/cis/session"
	sessionHeader  = "vmware-api-session-id"
	itemPathPrefix = "/rest/com/vmware/content/library/item/id:"
	vmtxDeployPath = "/rest/vcenter/vm-template/library-items/"
	ovfDeployPath  = "/rest/com/vmware/vcenter/ovf/library-item/id:"
)

// The OVF item's package: what CreateImportSpec of the simulator understands, no disk files.
const ovfDescriptor = `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"
  xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData">
  <References/>
  <NetworkSection><Info>networks</Info><Network ovf:name="VM Network"><Description>the guest network</Description></Network></NetworkSection>
  <VirtualSystem ovf:id="vm-operator-ovf">
    <Info>a small VM</Info>
    <VirtualHardwareSection>
      <Info>hardware</Info>
      <System><VirtualSystemType>vmx-13</VirtualSystemType></System>
      <Item><rasd:ElementName>1 virtual CPU</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>
      <Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ElementName>32 MB of memory</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>32</rasd:VirtualQuantity></Item>
      <Item><rasd:AutomaticAllocation>true</rasd:AutomaticAllocation><rasd:Connection>VM Network</rasd:Connection><rasd:ElementName>ethernet0</rasd:ElementName><rasd:InstanceID>3</rasd:InstanceID><rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType><rasd:ResourceType>10</rasd:ResourceType></Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`

// restGate is the handler in front of the vapi simulator.
type restGate struct {
	service *simulator.Service
	vapi    http.Handler
	// the user the vapi simulator logs in with for its own SOAP calls; kept equal to the
	// service's, which /vcsim/credentials replaces
	vapiUser *url.Userinfo
	seenUser *url.Userinfo

	mu       sync.Mutex
	mode     string // "", "hang" or "error"
	status   int
	released chan struct{}  // closed when the current fault ends
	live     map[string]bool // tokens handed out and not logged out; false: ended by the control
	versions map[string]int  // library item id -> content version above 1
	admin    string          // the gate's own session for control calls
}

// registerREST puts the vapi simulator behind the gate on the service's server, under /rest/.
func registerREST(model *simulator.Model) *restGate {
	s := model.Service
	user := *s.Listen.User
	listen := *s.Listen
	listen.User = &user
	path, handler := vapisim.New(&listen, simulator.Map.OptionManager().Setting)
	g := &restGate{
		service:  s,
		vapi:     handler,
		vapiUser: &user,
		seenUser: s.Listen.User,
		released: make(chan struct{}),
		live:     map[string]bool{},
		versions: map[string]int{},
	}
	s.Handle(path, g)
	s.Handle("/vcsim/rest/fault", post(g.setFault))
	s.Handle("/vcsim/rest/publish", post(g.publish))
	s.Handle("/vcsim/rest/detach-tag", post(g.detachTag))
	s.Handle("/vcsim/rest/terminate-sessions", post(g.terminateSessions))
	s.Handle("/vcsim/rest/sessions", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		n := 0
		for _, ok := range g.live {
			if ok {
				n++
			}
		}
		g.mu.Unlock()
		fmt.Fprintln(w, n)
	}))
	return g
}

func (g *restGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.syncUser()
	if g.faulted(w, r) {
		return
	}
	p := r.URL.Path
	switch {
	case p == sessionPath && r.Method == http.MethodPost && r.URL.Query().Get("~action") == "":
		g.login(w, r)
	case p == sessionPath && r.Method == http.MethodDelete:
		g.mu.Lock()
		delete(g.live, r.Header.Get(sessionHeader))
		g.mu.Unlock()
		g.vapi.ServeHTTP(w, r)
	case g.ended(r.Header.Get(sessionHeader)):
		w.WriteHeader(http.StatusUnauthorized)
	case r.Method == http.MethodGet && strings.HasPrefix(p, itemPathPrefix):
		g.withContentVersion(w, r, strings.TrimPrefix(p, itemPathPrefix))
	case r.Method == http.MethodPost && strings.HasPrefix(p, vmtxDeployPath):
		g.deployed(w, r, func(v json.RawMessage) string {
			var id string
			_ = json.Unmarshal(v, &id)
			return id
		})
	case r.Method == http.MethodPost && strings.HasPrefix(p, ovfDeployPath):
		g.deployed(w, r, func(v json.RawMessage) string {
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
		g.vapi.ServeHTTP(w, r)
	}
}

// syncUser follows a change of the service's credentials, so the vapi simulator's own SOAP logins
// keep working after /vcsim/credentials.
func (g *restGate) syncUser() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if u := g.service.Listen.User; u != nil && u != g.seenUser {
		*g.vapiUser = *u
		g.seenUser = u
	}
}

// login accepts what SessionManager.Login accepts: any non-empty pair unless the launcher was
// given credentials (or they were changed since), then exactly those.
func (g *restGate) login(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	want := g.service.Listen.User
	valid := ok && user != "" && pass != ""
	if valid && want != nil && want != simulator.DefaultLogin {
		wantPass, _ := want.Password()
		valid = user == want.Username() && pass == wantPass
	}
	if !valid {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	rec := httptest.NewRecorder()
	g.vapi.ServeHTTP(rec, r)
	if rec.Code == http.StatusOK {
		var token string
		if json.Unmarshal(value(rec.Body.Bytes()), &token) == nil && token != "" {
			g.mu.Lock()
			g.live[token] = true
			g.mu.Unlock()
		}
	}
	copyResponse(w, rec, nil)
}

func (g *restGate) ended(token string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	ok, known := g.live[token]
	return known && !ok
}

// faulted answers the request as the current fault says; false when there is none.
func (g *restGate) faulted(w http.ResponseWriter, r *http.Request) bool {
	for {
		g.mu.Lock()
		mode, status, released := g.mode, g.status, g.released
		g.mu.Unlock()
		switch mode {
		case "hang":
			select {
			case <-released:
				continue
			case <-r.Context().Done():
				return true
			case <-time.After(10 * time.Minute):
				http.Error(w, "hung for 10 minutes", http.StatusServiceUnavailable)
				return true
			}
		case "error":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"type":"com.vmware.vapi.std.errors.service_unavailable","value":{"messages":[{"id":"vcsim.fault","default_message":"injected by the launcher (HTTP %d)","args":[]}]}}`, status)
			return true
		default:
			return false
		}
	}
}

func (g *restGate) setFault(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status := http.StatusServiceUnavailable
	if s := q.Get("status"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 400 || n > 599 {
			http.Error(w, "status: an HTTP error status, 400-599", http.StatusBadRequest)
			return
		}
		status = n
	}
	mode := q.Get("mode")
	switch mode {
	case "hang", "error":
	case "none", "":
		mode = ""
	default:
		http.Error(w, "mode: hang, error or none", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	if g.mode == "hang" && mode != "hang" {
		close(g.released)
		g.released = make(chan struct{})
	}
	g.mode, g.status = mode, status
	g.mu.Unlock()
	fmt.Fprintln(w, "ok")
}

// withContentVersion answers a library item with its content version.
func (g *restGate) withContentVersion(w http.ResponseWriter, r *http.Request, id string) {
	rec := httptest.NewRecorder()
	g.vapi.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		copyResponse(w, rec, nil)
		return
	}
	var body struct {
		Value map[string]interface{} `json:"value"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Value == nil {
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

// deployed passes a deploy on and makes the VM it created one of the launcher's: a VM, not a
// template, and asynchronous like the others.
func (g *restGate) deployed(w http.ResponseWriter, r *http.Request, vmOf func(json.RawMessage) string) {
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
		}
	}
	copyResponse(w, rec, nil)
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

func (g *restGate) detachTag(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	body := map[string]interface{}{"object_id": map[string]string{"type": "VirtualMachine", "id": q.Get("vm")}}
	err := g.adminCall(http.MethodPost,
		"/rest/com/vmware/cis/tagging/tag-association/id:"+q.Get("tag")+"?~action=detach", body, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fmt.Fprintln(w, "ok")
}

func (g *restGate) terminateSessions(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	n := 0
	for token, ok := range g.live {
		if ok && token != g.admin {
			g.live[token] = false
			n++
		}
	}
	g.mu.Unlock()
	fmt.Fprintln(w, n)
}

// adminCall makes a REST call in process, on the gate's own session, past the gate's faults.
func (g *restGate) adminCall(method, path string, in interface{}, out interface{}) error {
	g.mu.Lock()
	token := g.admin
	g.mu.Unlock()
	if token == "" {
		req := httptest.NewRequest(http.MethodPost, sessionPath, nil)
		req.SetBasicAuth("vcsim-control", "vcsim-control")
		rec := httptest.NewRecorder()
		g.vapi.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || json.Unmarshal(value(rec.Body.Bytes()), &token) != nil {
			return fmt.Errorf("control login: HTTP %d", rec.Code)
		}
		g.mu.Lock()
		g.admin = token
		g.mu.Unlock()
	}
	var body []byte
	if in != nil {
		body, _ = json.Marshal(in)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set(sessionHeader, token)
	rec := httptest.NewRecorder()
	g.vapi.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return fmt.Errorf("%s %s: HTTP %d %s", method, path, rec.Code, rec.Body.String())
	}
	if out != nil {
		return json.Unmarshal(value(rec.Body.Bytes()), out)
	}
	return nil
}

// value is the "value" member of a /rest answer.
func value(body []byte) json.RawMessage {
	var v struct {
		Value json.RawMessage `json:"value"`
	}
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	return v.Value
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder, body []byte) {
	for k, vs := range rec.Header() {
		if k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(rec.Code)
	if body == nil {
		body = rec.Body.Bytes()
	}
	_, _ = w.Write(body)
}

// createCatalog creates what -content-library and -tag-category ask for, through the REST API as
// an administrator would.
func createCatalog(u *url.URL, libraryName, template, categorySpec string) error {
	if libraryName == "" && categorySpec == "" {
		return nil
	}
	ctx := context.Background()
	c, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		return err
	}
	defer c.Logout(ctx)
	rc := rest.NewClient(c.Client)
	if err := rc.Login(ctx, u.User); err != nil {
		return fmt.Errorf("REST login: %v", err)
	}
	defer rc.Logout(ctx)
	if libraryName != "" {
		if template == "" {
			return fmt.Errorf("-content-library needs a template (-templates)")
		}
		if err := createLibrary(ctx, c, rc, libraryName, template); err != nil {
			return fmt.Errorf("library %s: %v", libraryName, err)
		}
	}
	if categorySpec != "" {
		if err := createTags(ctx, rc, categorySpec); err != nil {
			return fmt.Errorf("tags %s: %v", categorySpec, err)
		}
	}
	return nil
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
	pool, err := finder.ResourcePool(ctx, "/"+dc.Name()+"/host/*/Resources")
	if err != nil {
		pools, perr := finder.ResourcePoolList(ctx, "*")
		if perr != nil || len(pools) == 0 {
			return err
		}
		pool = pools[0]
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
		Placement: &vcenter.Placement{Folder: folders.VmFolder.Reference().Value, ResourcePool: pool.Reference().Value},
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

func createTags(ctx context.Context, rc *rest.Client, spec string) error {
	kv := strings.SplitN(spec, "=", 2)
	if len(kv) != 2 || strings.TrimSpace(kv[0]) == "" {
		return fmt.Errorf("want NAME=TAG[,TAG...]")
	}
	m := tags.NewManager(rc)
	categoryID, err := m.CreateCategory(ctx, &tags.Category{
		Name: strings.TrimSpace(kv[0]), Cardinality: "SINGLE", AssociableTypes: []string{"VirtualMachine"}})
	if err != nil {
		return err
	}
	for _, t := range splitNames(kv[1]) {
		if _, err := m.CreateTag(ctx, &tags.Tag{Name: t, CategoryID: categoryID}); err != nil {
			return err
		}
	}
	return nil
}

// logREST is the launcher's note of what it serves, for the log the tests print on a failure.
func logREST() {
	log.Printf("REST API served under /rest (vapi simulator behind the launcher's gate)")
	_ = ioutil.Discard
}
