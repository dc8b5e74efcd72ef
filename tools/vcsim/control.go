package main

// Control endpoint for tests, served by the simulator's own HTTP server under /vcsim/.
//
//	POST /vcsim/fail-clone?pattern=REGEX   clone tasks whose name matches fail with NoDiskSpace;
//	                                       an empty or missing pattern clears the failure
//	GET  /vcsim/sessions                   number of current SOAP sessions, as plain text
//	POST /vcsim/terminate-sessions         terminates every session, as an administrator would
//	                                       with SessionManager.TerminateSession; replies with the
//	                                       number terminated
//	GET  /vcsim/delays                     the current task delays
//	POST /vcsim/delays?clone=1s&power=200ms&reconfigure=0&destroy=0&jitter=0.2
//	                                       changes the given task delays (Go durations)
//	POST /vcsim/credentials?user=U&password=P
//	                                       from now on Login accepts only U/P (as after a
//	                                       password change in vCenter); existing sessions stay
//	GET  /vcsim/call-delays                the current SOAP call delays
//	POST /vcsim/call-delays?delay=2s&jitter=0.3&methods=CloneVM_Task=4s,Login=0
//	                                       changes the delays of every SOAP call (the model's
//	                                       DelayConfig, as -delay, -delay-jitter, -method-delay);
//	                                       parameters left out keep their value, an empty methods
//	                                       clears the per-method delays
//	GET  /vcsim/tasks-running              asynchronous tasks started and not yet finished
//	POST /vcsim/move?vm=vm-42&folder=group-v7
//	                                       MoveIntoFolder_Task of one VM, as an administrator
//	                                       dragging it to another folder would
//	POST /vcsim/destroy?vm=vm-42           powers the VM off and destroys it at once, as an
//	                                       administrator would, without the launcher's task delays
//	                                       (so nothing can power it on in between)
//	POST /vcsim/destroy?folder=group-v7    the same for every VM in the folder and its subfolders,
//	                                       then the folders: what vCenter does when an
//	                                       administrator deletes a folder. The simulator's own
//	                                       Folder.Destroy_Task skips the VMs and leaves them
//	                                       registered without a parent, which no vCenter does.
//	                                       Both reply with the number of VMs destroyed.
//	POST /vcsim/power-off-unnoticed?vm=vm-42
//	                                       powers the VM off without telling any property
//	                                       collector: direct reads see it off, every change feed
//	                                       keeps showing it on. What a feed that lost a change
//	                                       shows, as the simulator's do when a change lands while a
//	                                       feed is being opened; for testing what the operator does
//	                                       when its feed is wrong.
//	POST /vcsim/guest?vm=vm-42&heartbeat=red&tools=running&ip=10.0.0.7&key=guestinfo.vmgroup.ready&value=true
//	                                       sets what VMware Tools reports of one VM's guest, each
//	                                       parameter optional: heartbeat green|yellow|red|gray,
//	                                       tools running|notRunning, ip ADDR[,ADDR...]|none (the
//	                                       first is guest.ipAddress, all are guest.net[0]'s), and a
//	                                       guestinfo key in config.extraConfig as the guest's
//	                                       "vmware-rpctool info-set" writes it (an empty value
//	                                       removes it). Change feeds see it like any change; a
//	                                       guest still coming up after -guest-delay no longer does
//
// There is no authentication: the endpoint is for tests and demos, where the launcher listens on
// 127.0.0.1 (its default -listen). Don't expose a launcher on another interface.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"sync/atomic"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func registerControl(model *simulator.Model) {
	s := model.Service
	s.Handle("/vcsim/fail-clone", post(func(w http.ResponseWriter, r *http.Request) {
		if err := setFailClone(r.URL.Query().Get("pattern")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, "ok")
	}))
	s.Handle("/vcsim/credentials", post(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("user") == "" || q.Get("password") == "" {
			http.Error(w, "user and password are required", http.StatusBadRequest)
			return
		}
		// The simulator reads Listen.User on every Login.
		s.Listen.User = url.UserPassword(q.Get("user"), q.Get("password"))
		fmt.Fprintln(w, "ok")
	}))
	s.Handle("/vcsim/sessions", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			http.Error(w, "GET only", http.StatusMethodNotAllowed)
			return
		}
		fmt.Fprintln(w, len(sessions()))
	}))
	s.Handle("/vcsim/terminate-sessions", post(func(w http.ResponseWriter, r *http.Request) {
		n, err := terminateSessions()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, n)
	}))
	// Where a VM is, as the simulator has it: resource pool reference and datastore names, so tests
	// can check placement against the simulator's own state.
	s.Handle("/vcsim/vm-placement", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: r.URL.Query().Get("vm")}
		var pool string
		var stores []string
		found := false
		simulator.Map.WithLock(ref, func() {
			var vm *simulator.VirtualMachine
			switch v := simulator.Map.Get(ref).(type) {
			case *asyncVM:
				vm = &v.VirtualMachine
			case *simulator.VirtualMachine:
				vm = v
			default:
				return
			}
			found = true
			if vm.ResourcePool != nil {
				pool = vm.ResourcePool.Value
			}
			for _, ds := range vm.Datastore {
				if e, ok := simulator.Map.Get(ds).(mo.Entity); ok {
					stores = append(stores, e.Entity().Name)
				}
			}
		})
		if !found {
			http.Error(w, "no VM "+ref.Value, http.StatusNotFound)
			return
		}
		fmt.Fprintf(w, "pool=%s\ndatastores=%s\n", pool, strings.Join(stores, ","))
	}))
	s.Handle("/vcsim/call-delays", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
		case http.MethodPost:
			if err := setCallDelays(&model.DelayConfig, r.URL.Query()); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		default:
			http.Error(w, "GET or POST", http.StatusMethodNotAllowed)
			return
		}
		c := model.DelayConfig
		fmt.Fprintf(w, "delay=%dms jitter=%g methods=%v\n", c.Delay, c.DelayJitter, c.MethodDelay)
	}))
	s.Handle("/vcsim/tasks-running", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			http.Error(w, "GET only", http.StatusMethodNotAllowed)
			return
		}
		fmt.Fprintln(w, atomic.LoadInt64(&tasksRunning))
	}))
	s.Handle("/vcsim/move", post(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if err := moveVM(q.Get("vm"), q.Get("folder")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, "ok")
	}))
	s.Handle("/vcsim/destroy", post(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var n int
		var err error
		switch {
		case q.Get("vm") != "":
			err = destroyVM(types.ManagedObjectReference{Type: "VirtualMachine", Value: q.Get("vm")})
			n = 1
		case q.Get("folder") != "":
			n, err = destroyFolder(q.Get("folder"))
		default:
			err = fmt.Errorf("vm or folder is required")
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, n)
	}))
	s.Handle("/vcsim/power-off-unnoticed", post(func(w http.ResponseWriter, r *http.Request) {
		if err := powerOffUnnoticed(r.URL.Query().Get("vm")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, "ok")
	}))
	s.Handle("/vcsim/guest", post(func(w http.ResponseWriter, r *http.Request) {
		if err := setGuest(r.URL.Query()); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, "ok")
	}))
	s.Handle("/vcsim/delays", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
		case http.MethodPost:
			if err := setDelays(r.URL.Query()); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		default:
			http.Error(w, "GET or POST", http.StatusMethodNotAllowed)
			return
		}
		fmt.Fprint(w, delays.String())
	}))
}

func post(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		h(w, r)
	})
}

// setCallDelays changes the DelayConfig the service reads on every call. The service reads it
// without a lock; each field is replaced by a single store (the map as a whole, never changed in
// place), so a call sees either the old or the new value of a field.
func setCallDelays(c *simulator.DelayConfig, q url.Values) error {
	var delay time.Duration = -1
	if v := q.Get("delay"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("delay: not a duration: %q", v)
		}
		delay = d
	}
	jitter := -1.0
	if v := q.Get("jitter"); v != "" {
		j, err := strconv.ParseFloat(v, 64)
		if err != nil || j < 0 {
			return fmt.Errorf("jitter: not a coefficient: %q", v)
		}
		jitter = j
	}
	var methods map[string]int
	_, setMethods := q["methods"]
	if setMethods {
		m, err := parseMethodDelays(q.Get("methods"))
		if err != nil {
			return fmt.Errorf("methods: %v", err)
		}
		methods = m
	}
	if delay >= 0 {
		c.Delay = int(delay.Milliseconds())
	}
	if jitter >= 0 {
		c.DelayJitter = jitter
	}
	if setMethods {
		c.MethodDelay = methods
	}
	return nil
}

func setDelays(q map[string][]string) error {
	parsed := map[string]time.Duration{}
	for _, k := range []string{"clone", "power", "reconfigure", "destroy"} {
		if v, ok := q[k]; ok && len(v) > 0 {
			d, err := time.ParseDuration(v[0])
			if err != nil || d < 0 {
				return fmt.Errorf("%s: not a duration: %q", k, v[0])
			}
			parsed[k] = d
		}
	}
	jitter := -1.0
	if v, ok := q["jitter"]; ok && len(v) > 0 {
		j, err := strconv.ParseFloat(v[0], 64)
		if err != nil || j < 0 {
			return fmt.Errorf("jitter: not a fraction: %q", v[0])
		}
		jitter = j
	}
	delays.mu.Lock()
	defer delays.mu.Unlock()
	for k, d := range parsed {
		switch k {
		case "clone":
			delays.clone = d
		case "power":
			delays.power = d
		case "reconfigure":
			delays.reconfigure = d
		case "destroy":
			delays.destroy = d
		}
	}
	if jitter >= 0 {
		delays.jitter = jitter
	}
	return nil
}

// controlContext is the context of an in-process administrator. Its session is not one of the
// SessionManager's sessions, so it neither shows up in the count nor can be terminated.
func controlContext() *simulator.Context {
	return &simulator.Context{
		Context: context.Background(),
		Map:     simulator.Map,
		Session: &simulator.Session{
			UserSession: types.UserSession{Key: "vcsim-control", UserName: "vcsim-control"},
			Registry:    simulator.NewRegistry(),
		},
	}
}

// sessions lists the current sessions through the per-session view of the SessionManager, the
// same view a client reading sessionManager.sessionList gets.
func sessions() []types.UserSession {
	sm := simulator.Map.SessionManager()
	var list []types.UserSession
	simulator.Map.WithLock(sm, func() {
		view := controlContext().Session.Get(sm.Reference()).(*simulator.SessionManager)
		list = view.SessionList
	})
	return list
}

func terminateSessions() (int, error) {
	// Terminating never fails as a whole: sessions that ended meanwhile are skipped.
	list := sessions()
	if len(list) == 0 {
		return 0, nil
	}
	req := &types.TerminateSession{This: simulator.Map.SessionManager().Reference()}
	for _, s := range list {
		req.SessionId = append(req.SessionId, s.Key)
	}
	sm := simulator.Map.SessionManager()
	simulator.Map.WithLock(sm, func() {
		if f := sm.TerminateSession(controlContext(), req).Fault(); f != nil {
			// NotFound: a session ended between listing and terminating; try them one by one.
			for _, id := range req.SessionId {
				_ = sm.TerminateSession(controlContext(), &types.TerminateSession{This: req.This, SessionId: []string{id}})
			}
		}
	})
	return len(list), nil
}

// taskError returns the fault of a finished simulator task, or nil.
func taskError(ref types.ManagedObjectReference) error {
	task, ok := simulator.Map.Get(ref).(*simulator.Task)
	if !ok {
		return fmt.Errorf("task %s vanished", ref.Value)
	}
	var fault *types.LocalizedMethodFault
	simulator.Map.WithLock(task, func() { fault = task.Info.Error })
	if fault != nil {
		return fmt.Errorf("%T: %s", fault.Fault, fault.LocalizedMessage)
	}
	return nil
}

// moveVM runs the simulator's own MoveIntoFolder_Task, locked the way its SOAP dispatcher locks a
// call on the destination folder.
func moveVM(vmID, folderID string) error {
	vmRef := types.ManagedObjectReference{Type: "VirtualMachine", Value: vmID}
	folderRef := types.ManagedObjectReference{Type: "Folder", Value: folderID}
	folder, ok := simulator.Map.Get(folderRef).(*simulator.Folder)
	if !ok {
		return fmt.Errorf("no folder %q", folderID)
	}
	if simulator.Map.Get(vmRef) == nil {
		return fmt.Errorf("no VM %q", vmID)
	}
	ctx := controlContext()
	ctx.Caller = &folderRef
	var body *methods.MoveIntoFolder_TaskBody
	simulator.Map.WithLock(folder, func() {
		body = folder.MoveIntoFolderTask(ctx, &types.MoveIntoFolder_Task{
			This: folderRef, List: []types.ManagedObjectReference{vmRef}}).(*methods.MoveIntoFolder_TaskBody)
	})
	return taskError(body.Res.Returnval)
}

// machine returns the simulator VM behind a registry entry (wrapped or not).
func machine(obj interface{}) *simulator.VirtualMachine {
	switch v := obj.(type) {
	case *asyncVM:
		return &v.VirtualMachine
	case *simulator.VirtualMachine:
		return v
	}
	return nil
}

// destroyFolder destroys a folder like vCenter does: its VMs first (powered off, without the
// launcher's task delays), then its subfolders and itself. Returns the number of VMs destroyed.
func destroyFolder(folderID string) (int, error) {
	root := types.ManagedObjectReference{Type: "Folder", Value: folderID}
	if _, ok := simulator.Map.Get(root).(*simulator.Folder); !ok {
		return 0, fmt.Errorf("no folder %q", folderID)
	}
	var vms, folders []types.ManagedObjectReference
	var walk func(types.ManagedObjectReference)
	walk = func(ref types.ManagedObjectReference) {
		f := simulator.Map.Get(ref).(*simulator.Folder)
		var children []types.ManagedObjectReference
		simulator.Map.WithLock(f, func() { children = append(children, f.ChildEntity...) })
		for _, c := range children {
			switch c.Type {
			case "VirtualMachine":
				vms = append(vms, c)
			case "Folder":
				walk(c)
			}
		}
		folders = append(folders, ref) // deepest first
	}
	destroyed := 0
	// A clone into the folder may land while its VMs are destroyed; then the folder isn't
	// empty any more and another pass takes the newcomer too.
	for pass := 0; pass < 10; pass++ {
		vms, folders = nil, nil
		walk(root)
		for _, ref := range vms {
			if err := destroyVM(ref); err != nil {
				return destroyed, err
			}
			destroyed++
		}
		emptied := true
		for _, ref := range folders {
			done, err := destroyEmptyFolder(ref)
			if err != nil {
				return destroyed, err
			}
			if !done {
				emptied = false
				break
			}
		}
		if emptied {
			return destroyed, nil
		}
	}
	return destroyed, fmt.Errorf("folder %s keeps getting new VMs", folderID)
}

// destroyEmptyFolder destroys a folder that holds no VM, checking and destroying under the folder's
// lock so no clone can register a VM in between. False when it holds a VM.
func destroyEmptyFolder(ref types.ManagedObjectReference) (bool, error) {
	f, ok := simulator.Map.Get(ref).(*simulator.Folder)
	if !ok {
		return true, nil
	}
	ctx := controlContext()
	ctx.Caller = &ref
	var body *methods.Destroy_TaskBody
	simulator.Map.WithLock(f, func() {
		for _, c := range f.ChildEntity {
			if c.Type == "VirtualMachine" {
				return
			}
		}
		body = f.DestroyTask(ctx, &types.Destroy_Task{This: ref}).(*methods.Destroy_TaskBody)
	})
	if body == nil {
		return false, nil
	}
	if err := taskError(body.Res.Returnval); err != nil {
		return false, fmt.Errorf("destroy %s: %v", ref.Value, err)
	}
	return true, nil
}

// destroyVM powers a VM off and destroys it under its lock, bypassing the launcher's task delays.
// A VM that is already gone counts as destroyed.
func destroyVM(ref types.ManagedObjectReference) error {
	obj := simulator.Map.Get(ref)
	vm := machine(obj)
	if vm == nil {
		return nil
	}
	ctx := controlContext()
	ctx.Caller = &ref
	var err error
	simulator.Map.WithLock(obj, func() {
		if vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn {
			off := vm.PowerOffVMTask(ctx, &types.PowerOffVM_Task{This: ref}).(*methods.PowerOffVM_TaskBody)
			if err = taskError(off.Res.Returnval); err != nil {
				return
			}
		}
		d := vm.DestroyTask(ctx, &types.Destroy_Task{This: ref}).(*methods.Destroy_TaskBody)
		err = taskError(d.Res.Returnval)
	})
	if err != nil {
		return fmt.Errorf("destroy %s: %v", ref.Value, err)
	}
	return nil
}

// powerOffUnnoticed sets a VM's power state to off the way the simulator keeps it (runtime and
// summary), but without Map.Update, which is what queues a change for the property collectors.
func powerOffUnnoticed(vmID string) error {
	ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: vmID}
	obj := simulator.Map.Get(ref)
	vm := machine(obj)
	if vm == nil {
		return fmt.Errorf("no VM %q", vmID)
	}
	simulator.Map.WithLock(obj, func() {
		vm.Runtime.PowerState = types.VirtualMachinePowerStatePoweredOff
		vm.Summary.Runtime.PowerState = types.VirtualMachinePowerStatePoweredOff
	})
	return nil
}
