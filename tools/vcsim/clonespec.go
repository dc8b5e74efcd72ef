package main

// What vCenter does with a clone spec and a reconfigure that govmomi 0.24.2's simulator does not,
// for the VM hardware the operator edits: Notes, cores per socket, disk growth, network checks,
// guest customization and the guest's view of its NICs. Used unless -clone-quirks.
//
//   - The simulator's clone hands the source's device objects to the clone and then edits them
//     (a disk's file name, a NIC's key), so a template's devices changed with every clone; the
//     clone now gets copies.
//   - A disk edit in a clone spec names the source's disk file; the simulator would point the
//     clone at that file (and delete it with the clone). The launcher takes disk edits out of the
//     spec and grows the clone's own disk by key, refusing what vCenter refuses: shrinking, and
//     growing a linked clone's disk (InvalidDeviceOperation).
//   - A NIC on a network that doesn't exist takes the simulator down (standard backing) or is
//     ignored after the clone exists (distributed backing); the clone fails first, leaving nothing.
//   - Customization is applied when the clone first powers on, as CustomizeVM_Task does in the
//     simulator, and refused with NicSettingMismatch when it doesn't have one setting per NIC.
//   - VMware Tools reports the MAC address and network of each NIC as they are after an edit.

import (
	"fmt"
	"log"
	"reflect"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// deepCopy copies a value of the vim25 types: pointers, interfaces, slices and maps are copied
// too, so nothing is shared with the original.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Ptr:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Elem().Type())
		c.Elem().Set(deepCopy(v.Elem()))
		return c
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(deepCopy(v.Elem()))
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for _, k := range v.MapKeys() {
			c.SetMapIndex(k, deepCopy(v.MapIndex(k)))
		}
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v) // unexported fields (time.Time's) by value
		for i := 0; i < v.NumField(); i++ {
			if c.Field(i).CanSet() {
				c.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return c
	default:
		return v
	}
}

// withCopiedDevices runs f while the VM holds copies of its devices, so what f does to them (the
// simulator's clone edits the source's devices) leaves the VM's own unchanged.
func withCopiedDevices(vm *asyncVM, f func()) {
	if vm.Config == nil {
		f()
		return
	}
	own := vm.Config.Hardware.Device
	vm.Config.Hardware.Device = deepCopy(reflect.ValueOf(own)).Interface().([]types.BaseVirtualDevice)
	defer func() { vm.Config.Hardware.Device = own }()
	f()
}

// diskEdit is a disk's new capacity from a clone spec, applied to the clone by key.
type diskEdit struct {
	key        int32
	capacityKB int64
}

// takeDiskEdits removes the disk edits from the spec's device changes and returns them.
func takeDiskEdits(spec *types.VirtualMachineConfigSpec) []diskEdit {
	if spec == nil {
		return nil
	}
	var edits []diskEdit
	var rest []types.BaseVirtualDeviceConfigSpec
	for _, c := range spec.DeviceChange {
		s := c.GetVirtualDeviceConfigSpec()
		if disk, ok := s.Device.(*types.VirtualDisk); ok && s.Operation == types.VirtualDeviceConfigSpecOperationEdit {
			edits = append(edits, diskEdit{disk.Key, capacityKB(disk)})
			continue
		}
		rest = append(rest, c)
	}
	spec.DeviceChange = rest
	return edits
}

func capacityKB(disk *types.VirtualDisk) int64 {
	if disk.CapacityInBytes > 0 {
		return disk.CapacityInBytes / 1024
	}
	return disk.CapacityInKB
}

func deviceFault(i int, op types.VirtualDeviceConfigSpecOperation, invalid bool) *types.LocalizedMethodFault {
	spec := types.InvalidDeviceSpec{DeviceIndex: int32(i)}
	if invalid {
		return localized(&spec, fmt.Sprintf("Invalid configuration for device '%d'.", i))
	}
	return localized(&types.InvalidDeviceOperation{InvalidDeviceSpec: spec, BadOp: op},
		fmt.Sprintf("Invalid operation for device '%d'.", i))
}

// diskFault checks disk edits against the VM's disks as vCenter does: the disk must exist, must
// not shrink, and must not grow when it has a parent (linked: the edit is of a linked clone).
func diskFault(devices object.VirtualDeviceList, changes []types.BaseVirtualDeviceConfigSpec, linked bool) *types.LocalizedMethodFault {
	for i, c := range changes {
		s := c.GetVirtualDeviceConfigSpec()
		disk, ok := s.Device.(*types.VirtualDisk)
		if !ok || s.Operation != types.VirtualDeviceConfigSpecOperationEdit {
			continue
		}
		current, ok := devices.FindByKey(disk.Key).(*types.VirtualDisk)
		if !ok {
			return deviceFault(i, s.Operation, true)
		}
		want, have := capacityKB(disk), capacityKB(current)
		if want < have || (want > have && linked) {
			return deviceFault(i, s.Operation, false)
		}
	}
	return nil
}

// datacenterOf returns the datacenter an inventory object is in, or nil.
func datacenterOf(ref types.ManagedObjectReference) *simulator.Datacenter {
	for i := 0; i < 64; i++ {
		obj := simulator.Map.Get(ref)
		if dc, ok := obj.(*simulator.Datacenter); ok {
			return dc
		}
		e, ok := obj.(mo.Entity)
		if !ok || e.Entity().Parent == nil {
			return nil
		}
		ref = *e.Entity().Parent
	}
	return nil
}

// portgroup returns the distributed port group with this key on the switch with this UUID.
func portgroup(switchUUID, key string) *simulator.DistributedVirtualPortgroup {
	for _, e := range simulator.Map.All("") {
		pg, ok := e.(*simulator.DistributedVirtualPortgroup)
		if !ok || pg.Key != key || pg.Config.DistributedVirtualSwitch == nil {
			continue
		}
		if dvs, ok := simulator.Map.Get(*pg.Config.DistributedVirtualSwitch).(*simulator.DistributedVirtualSwitch); ok && dvs.Uuid == switchUUID {
			return pg
		}
	}
	return nil
}

func switchExists(switchUUID string) bool {
	for _, e := range simulator.Map.All("") {
		if dvs, ok := e.(*simulator.DistributedVirtualSwitch); ok && dvs.Uuid == switchUUID {
			return true
		}
	}
	return false
}

// networkFault checks that every NIC of the changes is attached to a network of the datacenter.
func networkFault(dc *simulator.Datacenter, changes []types.BaseVirtualDeviceConfigSpec) *types.LocalizedMethodFault {
	for _, c := range changes {
		s := c.GetVirtualDeviceConfigSpec()
		card, ok := s.Device.(types.BaseVirtualEthernetCard)
		if !ok || s.Operation == types.VirtualDeviceConfigSpecOperationRemove {
			continue
		}
		switch b := card.GetVirtualEthernetCard().Backing.(type) {
		case *types.VirtualEthernetCardNetworkBackingInfo:
			if b.Network != nil && simulator.Map.Get(*b.Network) == nil {
				return localized(&types.ManagedObjectNotFound{Obj: *b.Network},
					"The object has already been deleted or has not been completely created")
			}
			if dc == nil || simulator.Map.FindByName(b.DeviceName, dc.Network) == nil {
				return localized(&types.NotFound{}, fmt.Sprintf("network '%s' not found", b.DeviceName))
			}
		case *types.VirtualEthernetCardDistributedVirtualPortBackingInfo:
			if !switchExists(b.Port.SwitchUuid) || portgroup(b.Port.SwitchUuid, b.Port.PortgroupKey) == nil {
				return localized(&types.NotFound{}, fmt.Sprintf("port group %s of switch %s not found", b.Port.PortgroupKey, b.Port.SwitchUuid))
			}
		}
	}
	return nil
}

// nicCount is how many NICs a VM with these devices has after these changes.
func nicCount(devices object.VirtualDeviceList, changes []types.BaseVirtualDeviceConfigSpec) int {
	n := len(devices.SelectByType((*types.VirtualEthernetCard)(nil)))
	for _, c := range changes {
		s := c.GetVirtualDeviceConfigSpec()
		if _, ok := s.Device.(types.BaseVirtualEthernetCard); ok {
			switch s.Operation {
			case types.VirtualDeviceConfigSpecOperationAdd:
				n++
			case types.VirtualDeviceConfigSpecOperationRemove:
				n--
			}
		}
	}
	return n
}

// cloneSpecFault is what vCenter refuses in a clone spec before it creates anything.
func (vm *asyncVM) cloneSpecFault(req *types.CloneVM_Task) *types.LocalizedMethodFault {
	if vm.Config == nil || req.Spec.Config == nil {
		return nil
	}
	devices := object.VirtualDeviceList(vm.Config.Hardware.Device)
	changes := req.Spec.Config.DeviceChange
	if f := networkFault(datacenterOf(req.Folder), changes); f != nil {
		return f
	}
	linked := req.Spec.Location.DiskMoveType == string(types.VirtualMachineRelocateDiskMoveOptionsCreateNewChildDiskBacking)
	if f := diskFault(devices, changes, linked); f != nil {
		return f
	}
	if c := req.Spec.Customization; c != nil {
		if n := nicCount(devices, changes); n != len(c.NicSettingMap) {
			return localized(&types.NicSettingMismatch{NumberOfNicsInSpec: int32(len(c.NicSettingMap)), NumberOfNicsInVM: int32(n)},
				fmt.Sprintf("The number of network adapter settings in the customization specification: %d does not match the number of network adapters present in the virtual machine: %d.", len(c.NicSettingMap), n))
		}
	}
	return nil
}

// applyHardware gives a new clone what its spec asks for beyond size and power: Notes, cores per
// socket, grown disks and a pending customization. Runs under the clone's lock.
func applyHardware(ctx *simulator.Context, vm *asyncVM, spec *types.VirtualMachineCloneSpec, edits []diskEdit) {
	var changes []types.PropertyChange
	if c := spec.Config; c != nil && c.Annotation != "" {
		vm.Config.Annotation = c.Annotation
		vm.Summary.Config.Annotation = c.Annotation
		changes = append(changes, types.PropertyChange{Name: "config.annotation", Val: c.Annotation})
	}
	if c := spec.Config; c != nil && c.NumCoresPerSocket > 0 {
		vm.Config.Hardware.NumCoresPerSocket = c.NumCoresPerSocket
		changes = append(changes, types.PropertyChange{Name: "config.hardware.numCoresPerSocket", Val: c.NumCoresPerSocket})
	}
	if len(edits) > 0 {
		devices := object.VirtualDeviceList(vm.Config.Hardware.Device)
		for _, e := range edits {
			if disk, ok := devices.FindByKey(e.key).(*types.VirtualDisk); ok {
				disk.CapacityInKB = e.capacityKB
				disk.CapacityInBytes = e.capacityKB * 1024
			}
		}
		changes = append(changes, types.PropertyChange{Name: "config.hardware.device", Val: vm.Config.Hardware.Device})
	}
	if len(changes) > 0 {
		simulator.Map.Update(vm, changes)
	}
	if spec.Config != nil && len(spec.Config.DeviceChange) > 0 {
		vm.refreshGuestNet()
	}
	if c := spec.Customization; c != nil {
		if _, fault := outcome(vm.VirtualMachine.CustomizeVMTask(&types.CustomizeVM_Task{This: vm.Self, Spec: *c})); fault != nil {
			log.Printf("customization of %s (%s) failed: %s", vm.Self.Value, vm.Name, fault.LocalizedMessage)
		}
	}
}

// refreshGuestNet has VMware Tools report each NIC's current MAC address and network: the
// simulator writes them when a NIC is added and keeps them through edits.
func (vm *asyncVM) refreshGuestNet() {
	if vm.Config == nil || vm.Guest == nil || len(vm.Guest.Net) == 0 {
		return
	}
	devices := object.VirtualDeviceList(vm.Config.Hardware.Device)
	for i := range vm.Guest.Net {
		n := &vm.Guest.Net[i]
		card, ok := devices.FindByKey(n.DeviceConfigId).(types.BaseVirtualEthernetCard)
		if !ok {
			continue
		}
		c := card.GetVirtualEthernetCard()
		n.MacAddress = c.MacAddress
		switch b := c.Backing.(type) {
		case *types.VirtualEthernetCardNetworkBackingInfo:
			n.Network = b.DeviceName
		case *types.VirtualEthernetCardDistributedVirtualPortBackingInfo:
			if pg := portgroup(b.Port.SwitchUuid, b.Port.PortgroupKey); pg != nil {
				n.Network = pg.Name
			}
		}
	}
	simulator.Map.Update(vm, []types.PropertyChange{{Name: "guest.net", Val: vm.Guest.Net}})
}
