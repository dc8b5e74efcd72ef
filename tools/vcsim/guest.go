package main

// Guests that come up and go down (-guest-delay) and guests set by hand (POST /vcsim/guest).
//
// govmomi 0.24.2 leaves every guest as it created it: VMware Tools not running, heartbeat gray,
// no address unless a customization set one, whatever the VM's power does. A readiness check on
// Tools, heartbeat or address could never pass against it. With -guest-delay a VM that powers on
// reports Tools running, a green heartbeat and an address once the delay has passed, and a VM that
// powers off reports none of them, as vCenter shows a guest with Tools installed.
//
// Every change goes through simulator.Map.Update, which is what queues it for the property
// collectors, so a WaitForUpdatesEx change feed sees it like any other property change.

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// guestDelay is how long a guest takes from power-on until Tools reports it up; 0 leaves guests
// as the simulator keeps them.
var guestDelay time.Duration

// guests holds, per VM, a generation bumped by every power change and hand edit: a pending "up"
// of an older generation is dropped, so a guest switched off or edited meanwhile stays as it is.
// It also remembers each VM's address across power cycles: a guest's network configuration (a
// customization's fixed IP) lives in the guest OS and comes back with it.
var guests = struct {
	sync.Mutex
	generation map[types.ManagedObjectReference]uint64
	address    map[types.ManagedObjectReference]string
}{generation: map[types.ManagedObjectReference]uint64{}, address: map[types.ManagedObjectReference]string{}}

func bumpGuest(ref types.ManagedObjectReference) uint64 {
	guests.Lock()
	defer guests.Unlock()
	guests.generation[ref]++
	return guests.generation[ref]
}

func guestGeneration(ref types.ManagedObjectReference) uint64 {
	guests.Lock()
	defer guests.Unlock()
	return guests.generation[ref]
}

// guestBooted is called under the VM's lock once a power-on succeeded.
func guestBooted(vm *simulator.VirtualMachine) {
	if guestDelay <= 0 {
		return
	}
	ref := vm.Self
	gen := bumpGuest(ref)
	time.AfterFunc(guestDelay, func() {
		if simulator.Map.Get(ref) == nil {
			return
		}
		simulator.Map.WithLock(ref, func() {
			v := machine(simulator.Map.Get(ref))
			if v == nil || guestGeneration(ref) != gen || v.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn {
				return
			}
			guestUp(v)
		})
	})
}

// guestStopped is called under the VM's lock once a power-off succeeded.
func guestStopped(vm *simulator.VirtualMachine) {
	if guestDelay <= 0 {
		return
	}
	bumpGuest(vm.Self)
	changes := toolsChanges(vm, false)
	changes = append(changes, heartbeatChanges(vm, types.ManagedEntityStatusGray)...)
	changes = append(changes, addressChanges(vm, nil)...)
	simulator.Map.Update(vm, changes)
}

// guestsUpAtStart brings up the guests of the model's VMs, which were powered on before the
// launcher could watch them and have been running since.
func guestsUpAtStart() {
	if guestDelay <= 0 {
		return
	}
	for _, e := range simulator.Map.All("VirtualMachine") {
		ref := e.Reference()
		simulator.Map.WithLock(ref, func() {
			if v := machine(simulator.Map.Get(ref)); v != nil && v.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn {
				guestUp(v)
			}
		})
	}
}

// guestUp reports Tools running, a green heartbeat and the guest's address. Runs under the VM's
// lock.
func guestUp(vm *simulator.VirtualMachine) {
	changes := toolsChanges(vm, true)
	changes = append(changes, heartbeatChanges(vm, types.ManagedEntityStatusGreen)...)
	changes = append(changes, addressChanges(vm, []string{guestAddress(vm)})...)
	simulator.Map.Update(vm, changes)
}

// guestAddress is the address the guest reports: the one a customization set (which the simulator
// applied at power-on), else the one it had before, else a new one made from the VM's id.
func guestAddress(vm *simulator.VirtualMachine) string {
	guests.Lock()
	defer guests.Unlock()
	ip := vm.Guest.IpAddress
	if ip == "" && len(vm.Guest.Net) > 0 && len(vm.Guest.Net[0].IpAddress) > 0 {
		ip = vm.Guest.Net[0].IpAddress[0]
	}
	if ip == "" {
		ip = guests.address[vm.Self]
	}
	if ip == "" {
		ip = madeUpAddress(vm.Self)
	}
	guests.address[vm.Self] = ip
	return ip
}

var digits = regexp.MustCompile(`\D`)

// madeUpAddress is 10.x.y.z from the number in the VM's id (z never 0, 1 or 255), the rule the
// in-memory vCenter of the Java tests follows too, so both report the same address.
func madeUpAddress(ref types.ManagedObjectReference) string {
	d := digits.ReplaceAllString(ref.Value, "")
	if len(d) > 9 {
		d = d[len(d)-9:]
	}
	n, _ := strconv.ParseInt(d, 10, 64)
	return fmt.Sprintf("10.%d.%d.%d", n/62500%250, n/250%250, n%250+2)
}

func toolsChanges(vm *simulator.VirtualMachine, running bool) []types.PropertyChange {
	runningStatus := types.VirtualMachineToolsRunningStatusGuestToolsNotRunning
	status := types.VirtualMachineToolsStatusToolsNotRunning
	if running {
		runningStatus = types.VirtualMachineToolsRunningStatusGuestToolsRunning
		status = types.VirtualMachineToolsStatusToolsOk
	}
	vm.Guest.ToolsRunningStatus = string(runningStatus)
	vm.Guest.ToolsStatus = status
	changes := []types.PropertyChange{
		{Name: "guest.toolsRunningStatus", Val: string(runningStatus)},
		{Name: "guest.toolsStatus", Val: status},
	}
	if vm.Summary.Guest != nil {
		vm.Summary.Guest.ToolsRunningStatus = string(runningStatus)
		vm.Summary.Guest.ToolsStatus = status
		changes = append(changes,
			types.PropertyChange{Name: "summary.guest.toolsRunningStatus", Val: string(runningStatus)},
			types.PropertyChange{Name: "summary.guest.toolsStatus", Val: status})
	}
	return changes
}

func heartbeatChanges(vm *simulator.VirtualMachine, status types.ManagedEntityStatus) []types.PropertyChange {
	vm.GuestHeartbeatStatus = status
	vm.Summary.QuickStats.GuestHeartbeatStatus = status
	return []types.PropertyChange{
		{Name: "guestHeartbeatStatus", Val: status},
		{Name: "summary.quickStats.guestHeartbeatStatus", Val: status},
	}
}

// addressChanges makes the first address the primary one and gives all of them to the first NIC;
// no addresses clears every NIC's, as vCenter shows a guest that is off.
func addressChanges(vm *simulator.VirtualMachine, ips []string) []types.PropertyChange {
	primary := ""
	if len(ips) > 0 {
		primary = ips[0]
	}
	vm.Guest.IpAddress = primary
	changes := []types.PropertyChange{{Name: "guest.ipAddress", Val: primary}}
	if vm.Summary.Guest != nil {
		vm.Summary.Guest.IpAddress = primary
		changes = append(changes, types.PropertyChange{Name: "summary.guest.ipAddress", Val: primary})
	}
	if len(vm.Guest.Net) > 0 {
		for i := range vm.Guest.Net {
			vm.Guest.Net[i].IpAddress = nil
		}
		if len(ips) > 0 {
			vm.Guest.Net[0].IpAddress = append([]string(nil), ips...)
		}
		changes = append(changes, types.PropertyChange{Name: "guest.net", Val: vm.Guest.Net})
	}
	return changes
}

// setGuest applies POST /vcsim/guest: heartbeat, tools, ip and a guestinfo key/value, each
// optional. A guest still coming up no longer does: what was set here stays until the next power
// change.
func setGuest(q url.Values) error {
	ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: q.Get("vm")}
	var changes []types.PropertyChange
	var err error
	found := false
	simulator.Map.WithLock(ref, func() {
		vm := machine(simulator.Map.Get(ref))
		if vm == nil {
			return
		}
		found = true
		if changes, err = guestEdits(vm, q); err != nil || len(changes) == 0 {
			return
		}
		bumpGuest(ref)
		simulator.Map.Update(vm, changes)
	})
	if !found {
		return fmt.Errorf("no VM %q", ref.Value)
	}
	return err
}

// guestEdits checks every parameter before it changes anything, so a bad request changes nothing.
func guestEdits(vm *simulator.VirtualMachine, q url.Values) ([]types.PropertyChange, error) {
	var edits []func() []types.PropertyChange
	if h := q.Get("heartbeat"); h != "" {
		status := types.ManagedEntityStatus(h)
		switch status {
		case types.ManagedEntityStatusGreen, types.ManagedEntityStatusYellow,
			types.ManagedEntityStatusRed, types.ManagedEntityStatusGray:
		default:
			return nil, fmt.Errorf("heartbeat: want green, yellow, red or gray, not %q", h)
		}
		edits = append(edits, func() []types.PropertyChange { return heartbeatChanges(vm, status) })
	}
	if t := q.Get("tools"); t != "" {
		if t != "running" && t != "notRunning" {
			return nil, fmt.Errorf("tools: want running or notRunning, not %q", t)
		}
		edits = append(edits, func() []types.PropertyChange { return toolsChanges(vm, t == "running") })
	}
	if ip := q.Get("ip"); ip != "" {
		var ips []string
		if ip != "none" {
			for _, a := range strings.Split(ip, ",") {
				if net.ParseIP(strings.TrimSpace(a)) == nil {
					return nil, fmt.Errorf("ip: not an address: %q", a)
				}
				ips = append(ips, strings.TrimSpace(a))
			}
		}
		edits = append(edits, func() []types.PropertyChange { return addressChanges(vm, ips) })
	}
	if key := q.Get("key"); key != "" {
		if !strings.HasPrefix(key, "guestinfo.") {
			return nil, fmt.Errorf("key: a guest can only write guestinfo keys, not %q", key)
		}
		if vm.Config == nil {
			return nil, fmt.Errorf("VM %s has no config", vm.Self.Value)
		}
		value := q.Get("value")
		edits = append(edits, func() []types.PropertyChange { return guestInfoChanges(vm, key, value) })
	}
	var changes []types.PropertyChange
	for _, e := range edits {
		changes = append(changes, e()...)
	}
	return changes, nil
}

// guestInfoChanges sets a guestinfo key in the VM's extraConfig as the guest's
// "vmware-rpctool info-set" does; an empty value removes it.
func guestInfoChanges(vm *simulator.VirtualMachine, key, value string) []types.PropertyChange {
	var kept []types.BaseOptionValue
	for _, o := range vm.Config.ExtraConfig {
		if o.GetOptionValue().Key != key {
			kept = append(kept, o)
		}
	}
	if value != "" {
		kept = append(kept, &types.OptionValue{Key: key, Value: value})
	}
	vm.Config.ExtraConfig = kept
	return []types.PropertyChange{{Name: "config.extraConfig", Val: kept}}
}
