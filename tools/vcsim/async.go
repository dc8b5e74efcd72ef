package main

// Asynchronous tasks, vCenter's name rule for clones and clone fault injection.
//
// govmomi 0.24.2 runs every task inside the SOAP call. The simulator dispatches a call by looking
// up the target object in simulator.Map and calling the method of that name on it, so every
// VirtualMachine in the registry is replaced by an asyncVM that embeds it and overrides
// CloneVM_Task, PowerOnVM_Task, PowerOffVM_Task, ReconfigVM_Task and Destroy_Task (and
// ShutdownGuest, for the guest's state: guest.go). All other methods are promoted from the
// embedded *simulator.VirtualMachine.
//
// With a delay of 0 an override calls the simulator's own method directly (today's behaviour).
// With a delay > 0 it creates the task, sets it to running and returns its reference; a goroutine
// waits for the delay, then takes the VM's registry lock (the lock the simulator's dispatcher holds
// around a call) and runs the simulator's own synchronous method. That method records its outcome
// in an inner task, whose result or fault is copied to the task the client holds. Task property
// changes go through simulator.Map.Update under the task's lock, so PropertyCollector clients
// (RetrievePropertiesEx, WaitForUpdatesEx) see queued -> running -> success/error.

import (
	"fmt"
	"log"
	"math/rand"
	"reflect"
	"regexp"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// taskDelays holds the per-kind task delays; the control endpoint changes them at runtime.
type taskDelays struct {
	mu          sync.Mutex
	clone       time.Duration
	power       time.Duration
	reconfigure time.Duration
	destroy     time.Duration
	jitter      float64 // each delay is drawn uniformly from [d*(1-jitter), d*(1+jitter)]
}

func (d *taskDelays) pick(kind *time.Duration) time.Duration {
	d.mu.Lock()
	base, jitter := *kind, d.jitter
	d.mu.Unlock()
	if base <= 0 {
		return 0
	}
	if jitter > 0 {
		f := 1 + jitter*(2*rand.Float64()-1)
		if f < 0 {
			f = 0
		}
		base = time.Duration(float64(base) * f)
		if base <= 0 {
			base = time.Nanosecond // still asynchronous
		}
	}
	return base
}

func (d *taskDelays) String() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return fmt.Sprintf("clone=%s power=%s reconfigure=%s destroy=%s jitter=%g\n",
		d.clone, d.power, d.reconfigure, d.destroy, d.jitter)
}

var delays = &taskDelays{}

// failClone holds the pattern of clone names whose tasks fail with NoDiskSpace (nil: none).
var failClone struct {
	mu sync.Mutex
	re *regexp.Regexp
}

func setFailClone(pattern string) error {
	var re *regexp.Regexp
	if pattern != "" {
		var err error
		if re, err = regexp.Compile(pattern); err != nil {
			return err
		}
	}
	failClone.mu.Lock()
	failClone.re = re
	failClone.mu.Unlock()
	return nil
}

func cloneShouldFail(name string) bool {
	failClone.mu.Lock()
	defer failClone.mu.Unlock()
	return failClone.re != nil && failClone.re.MatchString(name)
}

// enforceUniqueNames makes CloneVM_Task refuse a name that a VM in the destination folder holds or
// that another clone into that folder is creating, like vCenter does (DuplicateName).
var enforceUniqueNames = true

type folderName struct {
	folder types.ManagedObjectReference
	name   string
}

// reserved holds the names of clones in flight; vCenter reserves a clone's name until it ends.
var reserved = struct {
	sync.Mutex
	names map[folderName]bool
}{names: map[folderName]bool{}}

// asyncVM overrides the task methods of a simulator VirtualMachine.
//
// It embeds the VirtualMachine by value: the PropertyCollector finds an object's mo type by
// descending through the first field of each struct, which fails on an embedded pointer (as in
// govmomi's example_extend_test.go, whose BusyVM breaks RetrieveProperties in 0.24.2).
type asyncVM struct {
	simulator.VirtualMachine
}

// wrapVM replaces the VirtualMachine with this reference in the registry by an asyncVM holding a
// copy of it. The copy is made under the VM's lock; from then on the registry's copy is the VM.
// Only a VM nobody has been told about yet is wrapped (at start, or before its clone task ends),
// so no call is working on the old object.
func wrapVM(ref types.ManagedObjectReference) {
	simulator.Map.WithLock(ref, func() {
		if vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine); ok {
			wrapped := &asyncVM{*vm}
			registryReplace(simulator.Map, wrapped)
			wrapped.announceConfig()
		}
	})
}

// announceConfig repeats the properties a change-feed client keeps. A container view reports a
// new VM as soon as it is registered, which can be before the simulator finished filling in its
// config; real vCenter would report the later values as modifications, so this does too.
func (vm *asyncVM) announceConfig() {
	if vm.Config == nil {
		return
	}
	simulator.Map.Update(vm, []types.PropertyChange{
		{Name: "config.extraConfig", Val: vm.Config.ExtraConfig},
		{Name: "config.template", Val: vm.Config.Template},
		{Name: "config.hardware.numCPU", Val: vm.Config.Hardware.NumCPU},
		{Name: "config.hardware.memoryMB", Val: vm.Config.Hardware.MemoryMB},
		{Name: "runtime.powerState", Val: vm.Runtime.PowerState},
	})
}

// wrapAllVMs wraps every VM and template of the model.
func wrapAllVMs() {
	for _, e := range simulator.Map.All("VirtualMachine") {
		wrapVM(e.Reference())
	}
}

// registryReplace swaps the object stored under obj's reference for obj, without telling the
// registry's handlers. Registry.Put would announce the object again: every ContainerView would
// list the VM a second time and property collectors would see it "enter" twice. 0.24.2 has no
// exported way to replace an object quietly, so this sets the unexported map under the registry's
// own mutex. It does nothing when the reference is gone (the VM was destroyed meanwhile).
func registryReplace(r *simulator.Registry, obj mo.Reference) {
	v := reflect.ValueOf(r).Elem()
	mu := (*sync.Mutex)(unsafe.Pointer(v.FieldByName("m").UnsafeAddr()))
	objects := *(*map[types.ManagedObjectReference]mo.Reference)(
		unsafe.Pointer(v.FieldByName("objects").UnsafeAddr()))
	mu.Lock()
	defer mu.Unlock()
	if _, ok := objects[obj.Reference()]; ok {
		objects[obj.Reference()] = obj
	}
}

// withPlainVM runs f while the registry holds the simulator's own VirtualMachine for ref, which
// shares its state with the wrapper: some simulator code (snapshots) insists on that type.
func withPlainVM(ref types.ManagedObjectReference, f func()) {
	var wrapped *asyncVM
	simulator.Map.WithLock(ref, func() {
		if vm, ok := simulator.Map.Get(ref).(*asyncVM); ok {
			wrapped = vm
			registryReplace(simulator.Map, &vm.VirtualMachine)
		}
	})
	defer func() {
		if wrapped != nil {
			simulator.Map.WithLock(ref, func() { registryReplace(simulator.Map, wrapped) })
		}
	}()
	f()
}

// startTask creates a task on obj and sets it running.
func startTask(obj mo.Reference, name string) *simulator.Task {
	task := simulator.CreateTask(obj, name, nil)
	simulator.Map.WithLock(task, func() {
		simulator.Map.Update(task, []types.PropertyChange{
			{Name: "info.startTime", Val: time.Now()},
			{Name: "info.state", Val: types.TaskInfoStateRunning},
		})
	})
	return task
}

// finishTask completes a task the way simulator.Task.Run does.
func finishTask(task *simulator.Task, res types.AnyType, fault *types.LocalizedMethodFault) {
	state := types.TaskInfoStateSuccess
	var lmf interface{}
	if fault != nil {
		state = types.TaskInfoStateError
		lmf = *fault
	}
	simulator.Map.WithLock(task, func() {
		simulator.Map.Update(task, []types.PropertyChange{
			{Name: "info.completeTime", Val: time.Now()},
			{Name: "info.state", Val: state},
			{Name: "info.result", Val: res},
			{Name: "info.error", Val: lmf},
		})
	})
}

func localized(fault types.BaseMethodFault, msg string) *types.LocalizedMethodFault {
	if msg == "" {
		msg = fmt.Sprintf("%T", fault)
	}
	return &types.LocalizedMethodFault{Fault: fault, LocalizedMessage: msg}
}

// failedTask creates a task on obj that has already failed with fault.
func failedTask(obj mo.Reference, name string, fault *types.LocalizedMethodFault) types.ManagedObjectReference {
	task := startTask(obj, name)
	finishTask(task, nil, fault)
	return task.Self
}

// outcome reads the result of a simulator task method: a call-level fault, or the inner task's
// result and error.
func outcome(body soap.HasFault) (types.AnyType, *types.LocalizedMethodFault) {
	if f := body.Fault(); f != nil {
		if mf, ok := f.VimFault().(types.BaseMethodFault); ok {
			return nil, localized(mf, f.String)
		}
		return nil, localized(&types.SystemError{Reason: f.String}, f.String)
	}
	res := reflect.ValueOf(body).Elem().FieldByName("Res")
	ref := res.Elem().FieldByName("Returnval").Interface().(types.ManagedObjectReference)
	inner, ok := simulator.Map.Get(ref).(*simulator.Task)
	if !ok {
		return nil, localized(&types.SystemError{Reason: "task vanished"}, "")
	}
	var result types.AnyType
	var fault *types.LocalizedMethodFault
	simulator.Map.WithLock(inner, func() {
		result = inner.Info.Result
		fault = inner.Info.Error
	})
	return result, fault
}

// tasksRunning counts asynchronous tasks started and not yet finished, so a test can tell
// whether a fault (a killed client, a restart) landed while vCenter was still working.
var tasksRunning int64

// later runs work after delay under the VM's lock and completes task with its outcome.
// after, when set, runs with the outcome once the VM's lock is released.
func (vm *asyncVM) later(task *simulator.Task, delay time.Duration, work func() soap.HasFault,
	after func(types.AnyType, *types.LocalizedMethodFault)) {
	atomic.AddInt64(&tasksRunning, 1)
	go func() {
		defer atomic.AddInt64(&tasksRunning, -1)
		time.Sleep(delay)
		var res types.AnyType
		var fault *types.LocalizedMethodFault
		gone := localized(&types.ManagedObjectNotFound{Obj: vm.Self}, "The object has already been deleted or has not been completely created")
		if simulator.Map.Get(vm.Self) == nil {
			fault = gone
		} else {
			simulator.Map.WithLock(vm, func() {
				// Checked again under the lock: another task of this VM (a second Destroy_Task)
				// may have removed it while this one waited for the lock.
				if simulator.Map.Get(vm.Self) == nil {
					fault = gone
					return
				}
				res, fault = guarded(vm, work)
			})
		}
		if after != nil {
			after(res, fault)
		}
		finishTask(task, res, fault)
	}()
}

// guarded runs a task's work and turns a panic of the simulator into a failed task (and a stack
// trace on stdout): a panic in this goroutine would otherwise end the whole simulator.
func guarded(vm *asyncVM, work func() soap.HasFault) (res types.AnyType, fault *types.LocalizedMethodFault) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("task on %s (%s, host %v) panicked: %v\n%s", vm.Self.Value, vm.Name, vm.Runtime.Host, p, debug.Stack())
			res, fault = nil, localized(&types.SystemError{Reason: fmt.Sprint(p)}, fmt.Sprintf("simulator panic: %v", p))
		}
	}()
	return outcome(work())
}

func (vm *asyncVM) PowerOnVMTask(ctx *simulator.Context, req *types.PowerOnVM_Task) soap.HasFault {
	d := delays.pick(&delays.power)
	work := func() soap.HasFault {
		body := vm.VirtualMachine.PowerOnVMTask(ctx, req)
		if _, fault := outcome(body); fault == nil {
			guestBooted(&vm.VirtualMachine)
		}
		return body
	}
	if d == 0 || vm.Config.Template { // a template is refused in the call itself
		return work()
	}
	task := startTask(vm, "powerOn")
	vm.later(task, d, work, nil)
	return &methods.PowerOnVM_TaskBody{Res: &types.PowerOnVM_TaskResponse{Returnval: task.Self}}
}

func (vm *asyncVM) PowerOffVMTask(ctx *simulator.Context, req *types.PowerOffVM_Task) soap.HasFault {
	d := delays.pick(&delays.power)
	work := func() soap.HasFault {
		body := vm.VirtualMachine.PowerOffVMTask(ctx, req)
		if _, fault := outcome(body); fault == nil {
			guestStopped(&vm.VirtualMachine)
		}
		return body
	}
	if d == 0 {
		return work()
	}
	task := startTask(vm, "powerOff")
	vm.later(task, d, work, nil)
	return &methods.PowerOffVM_TaskBody{Res: &types.PowerOffVM_TaskResponse{Returnval: task.Self}}
}

// ShutdownGuest powers the VM off at once, as the simulator does, and so takes its guest down.
func (vm *asyncVM) ShutdownGuest(ctx *simulator.Context, req *types.ShutdownGuest) soap.HasFault {
	body := vm.VirtualMachine.ShutdownGuest(ctx, req)
	if body.Fault() == nil {
		guestStopped(&vm.VirtualMachine)
	}
	return body
}

func (vm *asyncVM) ReconfigVMTask(ctx *simulator.Context, req *types.ReconfigVM_Task) soap.HasFault {
	d := delays.pick(&delays.reconfigure)
	work := func() soap.HasFault {
		fault := vm.hotPlugFault(&req.Spec)
		if fault == nil && vm.Config != nil && !cloneQuirks {
			fault = networkFault(datacenterOf(vm.Self), req.Spec.DeviceChange)
			if fault == nil {
				fault = diskFault(object.VirtualDeviceList(vm.Config.Hardware.Device), req.Spec.DeviceChange, false)
			}
		}
		if fault != nil {
			return &methods.ReconfigVM_TaskBody{Res: &types.ReconfigVM_TaskResponse{
				Returnval: failedTask(vm, "reconfigVm", fault)}}
		}
		vm.mergeExtraConfig(&req.Spec)
		body := vm.VirtualMachine.ReconfigVMTask(ctx, req)
		vm.announceConfig()
		if !cloneQuirks && len(req.Spec.DeviceChange) > 0 {
			vm.refreshGuestNet()
		}
		return body
	}
	if d == 0 {
		return work()
	}
	task := startTask(vm, "reconfigVm")
	vm.later(task, d, work, nil)
	return &methods.ReconfigVM_TaskBody{Res: &types.ReconfigVM_TaskResponse{Returnval: task.Self}}
}

// hotPlugFault applies vSphere's rule for a running VM, which the simulator lacks: CPUs and memory
// can only be added, and only when the VM has hot-add enabled.
func (vm *asyncVM) hotPlugFault(spec *types.VirtualMachineConfigSpec) *types.LocalizedMethodFault {
	if vm.Config == nil || vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn {
		return nil
	}
	enabled := func(b *bool) bool { return b != nil && *b }
	if n := spec.NumCPUs; n != 0 && n != vm.Config.Hardware.NumCPU &&
		(n < vm.Config.Hardware.NumCPU || !enabled(vm.Config.CpuHotAddEnabled)) {
		return localized(&types.CpuHotPlugNotSupported{},
			fmt.Sprintf("CPU hot plug of %s from %d to %d not supported", vm.Name, vm.Config.Hardware.NumCPU, n))
	}
	if m := spec.MemoryMB; m != 0 && m != int64(vm.Config.Hardware.MemoryMB) &&
		(m < int64(vm.Config.Hardware.MemoryMB) || !enabled(vm.Config.MemoryHotAddEnabled)) {
		return localized(&types.MemoryHotPlugNotSupported{},
			fmt.Sprintf("memory hot plug of %s from %d MB to %d MB not supported", vm.Name, vm.Config.Hardware.MemoryMB, m))
	}
	return nil
}

// cloneQuirks keeps the simulator's own clone, which ignores the clone spec's CPU, memory and
// powerOn; without it the clone gets them, as from vCenter.
var cloneQuirks bool

// applyCloneSpec gives a new clone the size, hardware and power state its clone spec asked for,
// before the clone task reports success, as vCenter does; edits are the spec's disk edits, which
// the simulator's clone was not given.
func applyCloneSpec(ctx *simulator.Context, ref types.ManagedObjectReference, spec *types.VirtualMachineCloneSpec, edits []diskEdit) {
	var powerOn bool
	simulator.Map.WithLock(ref, func() {
		vm, ok := simulator.Map.Get(ref).(*asyncVM)
		if !ok || vm.Config == nil {
			return
		}
		var changes []types.PropertyChange
		if c := spec.Config; c != nil && c.NumCPUs > 0 {
			vm.Config.Hardware.NumCPU = c.NumCPUs
			vm.Summary.Config.NumCpu = c.NumCPUs
			changes = append(changes, types.PropertyChange{Name: "config.hardware.numCPU", Val: c.NumCPUs})
		}
		if c := spec.Config; c != nil && c.MemoryMB > 0 {
			vm.Config.Hardware.MemoryMB = int32(c.MemoryMB)
			vm.Summary.Config.MemorySizeMB = int32(c.MemoryMB)
			changes = append(changes, types.PropertyChange{Name: "config.hardware.memoryMB", Val: int32(c.MemoryMB)})
		}
		if len(changes) > 0 {
			simulator.Map.Update(vm, changes)
		}
		applyHardware(ctx, vm, spec, edits)
		powerOn = spec.PowerOn && vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn
		if powerOn {
			body := vm.VirtualMachine.PowerOnVMTask(ctx, &types.PowerOnVM_Task{This: ref})
			if _, fault := outcome(body); fault == nil {
				guestBooted(&vm.VirtualMachine)
			}
		}
	})
}

// copyHotAdd gives a clone its source's hot-add settings, as vCenter copies a template's config
// (the simulator builds a clone's config from scratch).
func copyHotAdd(ref types.ManagedObjectReference, cpu, memory *bool) {
	simulator.Map.WithLock(ref, func() {
		if vm, ok := simulator.Map.Get(ref).(*asyncVM); ok && vm.Config != nil {
			vm.Config.CpuHotAddEnabled, vm.Config.MemoryHotAddEnabled = cpu, memory
			changes := []types.PropertyChange{}
			if cpu != nil {
				changes = append(changes, types.PropertyChange{Name: "config.cpuHotAddEnabled", Val: *cpu})
			}
			if memory != nil {
				changes = append(changes, types.PropertyChange{Name: "config.memoryHotAddEnabled", Val: *memory})
			}
			simulator.Map.Update(vm, changes)
		}
	})
}

// linkedCloneFault checks what vCenter checks for a linked clone: it needs a snapshot of the
// source to put the child disks on.
func (vm *asyncVM) linkedCloneFault(req *types.CloneVM_Task) *types.LocalizedMethodFault {
	if req.Spec.Location.DiskMoveType != string(types.VirtualMachineRelocateDiskMoveOptionsCreateNewChildDiskBacking) {
		return nil
	}
	if req.Spec.Snapshot == nil || vm.Snapshot == nil {
		return localized(&types.InvalidArgument{InvalidProperty: "spec.snapshot"},
			"a linked clone needs a snapshot of "+vm.Name)
	}
	log.Printf("linked clone %s of %s from snapshot %s", req.Name, vm.Name, req.Spec.Snapshot.Value)
	return nil
}

// mergeExtraConfig applies vSphere's extraConfig rule, which the simulator lacks (it only
// appends): an entry replaces the VM's entry of the same key, and an empty value removes the key.
// The handled entries are taken out of the spec, so the simulator appends only new keys.
func (vm *asyncVM) mergeExtraConfig(spec *types.VirtualMachineConfigSpec) {
	if vm.Config == nil || len(spec.ExtraConfig) == 0 {
		return
	}
	var rest []types.BaseOptionValue
	for _, c := range spec.ExtraConfig {
		o := c.GetOptionValue()
		value, _ := o.Value.(string)
		found := -1
		for i, e := range vm.Config.ExtraConfig {
			if e.GetOptionValue().Key == o.Key {
				found = i
				break
			}
		}
		switch {
		case found >= 0 && value == "":
			vm.Config.ExtraConfig = append(vm.Config.ExtraConfig[:found], vm.Config.ExtraConfig[found+1:]...)
		case found >= 0:
			vm.Config.ExtraConfig[found] = c
		case value != "":
			rest = append(rest, c)
		}
	}
	spec.ExtraConfig = rest
}

func (vm *asyncVM) DestroyTask(ctx *simulator.Context, req *types.Destroy_Task) soap.HasFault {
	d := delays.pick(&delays.destroy)
	if d == 0 {
		return vm.destroy(ctx, req)
	}
	task := startTask(vm, "destroy")
	vm.later(task, d, func() soap.HasFault { return vm.destroy(ctx, req) }, nil)
	return &methods.Destroy_TaskBody{Res: &types.Destroy_TaskResponse{Returnval: task.Self}}
}

// destroy runs the simulator's Destroy_Task. govmomi 0.24.2 sometimes panics in it while deleting
// the disk files of a VM it has already unregistered (it looks the disk's datastore up through the
// VM's host and dereferences what it doesn't find). The VM is gone by then, as the client asked, so
// that counts as success; a panic before the VM is gone is passed on.
func (vm *asyncVM) destroy(ctx *simulator.Context, req *types.Destroy_Task) (body soap.HasFault) {
	defer func() {
		if p := recover(); p != nil {
			if simulator.Map.Get(vm.Self) != nil {
				panic(p)
			}
			log.Printf("destroy of %s (%s): ignoring a panic after the VM was removed: %v", vm.Self.Value, vm.Name, p)
			task := startTask(vm, "destroy")
			finishTask(task, nil, nil)
			body = &methods.Destroy_TaskBody{Res: &types.Destroy_TaskResponse{Returnval: task.Self}}
		}
	}()
	return vm.VirtualMachine.DestroyTask(ctx, req)
}

// CloneVMTask adds vCenter's name rule, fault injection and the clone delay to the simulator's
// clone. The new VM is registered (and wrapped) only when the task completes.
func (vm *asyncVM) CloneVMTask(ctx *simulator.Context, req *types.CloneVM_Task) soap.HasFault {
	body := func(ref types.ManagedObjectReference) soap.HasFault {
		return &methods.CloneVM_TaskBody{Res: &types.CloneVM_TaskResponse{Returnval: ref}}
	}
	key := folderName{req.Folder, req.Name}
	if enforceUniqueNames {
		if fault := reserveName(key); fault != nil {
			return body(failedTask(vm, "cloneVm", fault))
		}
	}
	release := func() {
		if enforceUniqueNames {
			reserved.Lock()
			delete(reserved.names, key)
			reserved.Unlock()
		}
	}
	var injected *types.LocalizedMethodFault
	if cloneShouldFail(req.Name) {
		injected = vm.diskFull(req)
	}
	if fault := vm.linkedCloneFault(req); fault != nil && injected == nil {
		injected = fault
	}
	var edits []diskEdit
	if !cloneQuirks && injected == nil {
		if injected = vm.cloneSpecFault(req); injected == nil {
			edits = takeDiskEdits(req.Spec.Config)
		}
	}
	var cpuHotAdd, memoryHotAdd *bool
	if vm.Config != nil {
		cpuHotAdd, memoryHotAdd = vm.Config.CpuHotAddEnabled, vm.Config.MemoryHotAddEnabled
	}
	work := func() soap.HasFault {
		if simulator.Map.Get(req.Folder) == nil {
			// The destination folder was deleted while the clone ran; the simulator's own clone
			// would dereference the missing folder and take the whole process down.
			return body(failedTask(vm, "cloneVm", localized(&types.ManagedObjectNotFound{Obj: req.Folder},
				"The object has already been deleted or has not been completely created")))
		}
		if enforceUniqueNames {
			// Someone may have created the name by other means (CreateVM_Task, rename) meanwhile.
			if existing := vmNamed(req.Folder, req.Name); existing != nil {
				return &methods.CloneVM_TaskBody{Res: &types.CloneVM_TaskResponse{
					Returnval: failedTask(vm, "cloneVm", duplicateName(req.Name, *existing))}}
			}
		}
		if injected != nil {
			return &methods.CloneVM_TaskBody{Res: &types.CloneVM_TaskResponse{
				Returnval: failedTask(vm, "cloneVm", injected)}}
		}
		var res soap.HasFault
		withCopiedDevices(vm, func() { res = vm.VirtualMachine.CloneVMTask(ctx, req) })
		return res
	}
	created := func(res types.AnyType, fault *types.LocalizedMethodFault) {
		if ref, ok := res.(types.ManagedObjectReference); ok && fault == nil {
			wrapVM(ref) // clones of clones are asynchronous too
			copyHotAdd(ref, cpuHotAdd, memoryHotAdd)
			if !cloneQuirks {
				applyCloneSpec(ctx, ref, &req.Spec, edits)
			}
		}
		release()
	}

	d := delays.pick(&delays.clone)
	if req.Spec.PowerOn && !cloneQuirks {
		d += delays.pick(&delays.power) // vCenter powers the clone on inside the clone task
	}
	if d == 0 {
		res := work() // the dispatcher holds this VM's lock
		created(outcome(res))
		return res
	}
	task := startTask(vm, "cloneVm")
	vm.later(task, d, work, created)
	return body(task.Self)
}

// reserveName reserves a clone's name in its folder, or returns the DuplicateName fault.
func reserveName(key folderName) *types.LocalizedMethodFault {
	reserved.Lock()
	defer reserved.Unlock()
	if existing := vmNamed(key.folder, key.name); existing != nil {
		return duplicateName(key.name, *existing)
	}
	if reserved.names[key] {
		// The VM does not exist yet; vCenter would name the placeholder VM, the folder is the
		// closest object that does exist.
		return duplicateName(key.name, key.folder)
	}
	reserved.names[key] = true
	return nil
}

// vmNamed returns the VM (or template) called name in the folder, if any.
func vmNamed(folder types.ManagedObjectReference, name string) *types.ManagedObjectReference {
	f, ok := simulator.Map.Get(folder).(*simulator.Folder)
	if !ok {
		return nil
	}
	var children []types.ManagedObjectReference
	simulator.Map.WithLock(f, func() {
		children = append(children, f.ChildEntity...)
	})
	for _, c := range children {
		if c.Type != "VirtualMachine" {
			continue
		}
		if e, ok := simulator.Map.Get(c).(mo.Entity); ok && e.Entity().Name == name {
			ref := c
			return &ref
		}
	}
	return nil
}

func duplicateName(name string, existing types.ManagedObjectReference) *types.LocalizedMethodFault {
	return localized(&types.DuplicateName{Name: name, Object: existing},
		fmt.Sprintf("The name '%s' already exists.", name))
}

// diskFull is the fault injected by -fail-clone: the datastore has no room for the clone.
func (vm *asyncVM) diskFull(req *types.CloneVM_Task) *types.LocalizedMethodFault {
	ds := "LocalDS_0"
	ref := req.Spec.Location.Datastore
	if ref == nil && len(vm.Datastore) > 0 {
		ref = &vm.Datastore[0]
	}
	if ref != nil {
		if e, ok := simulator.Map.Get(*ref).(mo.Entity); ok {
			ds = e.Entity().Name
		}
	}
	file := fmt.Sprintf("[%s] %s/%s.vmx", ds, req.Name, req.Name)
	return localized(&types.NoDiskSpace{FileFault: types.FileFault{File: file}, Datastore: ds},
		fmt.Sprintf("There is not enough space on the file system for the selected operation (datastore '%s' is full).", ds))
}
