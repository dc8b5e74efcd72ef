// Measures what govmomi's simulator spends to notify one change feed, as docs/benchmarks.md
// explains the drift figure with: for every change queued in a 250 ms tick, WaitForUpdatesEx
// re-collects every object its filter watches (PropertyCollector.apply), so a notification costs
// (changes in the tick) x (one collect of the filter). Run by scripts/profile-vcsim-feed.sh, which
// copies the simulator package next to this file: it needs the package's unexported collect.
package simulator

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// counts every create, update and remove the registry tells its listeners, as a feed queues them
type changeCounter struct{ n int64 }

func (c *changeCounter) Reference() types.ManagedObjectReference {
	return types.ManagedObjectReference{Type: "ChangeCounter", Value: "profile"}
}

func (c *changeCounter) PutObject(mo.Reference)                            { atomic.AddInt64(&c.n, 1) }
func (c *changeCounter) UpdateObject(mo.Reference, []types.PropertyChange) { atomic.AddInt64(&c.n, 1) }
func (c *changeCounter) RemoveObject(types.ManagedObjectReference)         { atomic.AddInt64(&c.n, 1) }

func TestFeedCost(t *testing.T) {
	vms, _ := strconv.Atoi(os.Getenv("VMS"))
	if vms == 0 {
		vms = 1000
	}
	offs, _ := strconv.Atoi(os.Getenv("POWER_OFFS"))
	if offs == 0 {
		offs = 20
	}
	paths := strings.Split(os.Getenv("VM_PATHS"), ",")
	m := VPX()
	m.Machine = vms / 2 // per resource pool: the standalone host's and the cluster's
	defer m.Remove()
	if err := m.Create(); err != nil {
		t.Fatal(err)
	}
	ctx := internalContext
	ctx.Map = Map
	viewManager := *Map.content().ViewManager
	res := Map.Get(viewManager).(*ViewManager).CreateContainerView(ctx, &types.CreateContainerView{
		This: viewManager, Container: Map.content().RootFolder,
		Type: []string{"VirtualMachine", "Folder"}, Recursive: true})
	view := res.(*methods.CreateContainerViewBody).Res.Returnval
	pc := Map.Get(Map.content().PropertyCollector).(*PropertyCollector)

	collect := func(vmPaths []string) (time.Duration, int) {
		spec := types.PropertyFilterSpec{
			PropSet: []types.PropertySpec{
				{Type: "VirtualMachine", PathSet: vmPaths},
				{Type: "Folder", PathSet: []string{"name", "parent"}},
			},
			ObjectSet: []types.ObjectSpec{{Obj: view, Skip: types.NewBool(true),
				SelectSet: []types.BaseSelectionSpec{&types.TraversalSpec{Type: "ContainerView", Path: "view"}}}},
		}
		r := &types.RetrievePropertiesEx{SpecSet: []types.PropertyFilterSpec{spec}}
		pc.collect(ctx, r) // warm up
		const rounds = 30
		start := time.Now()
		objects := 0
		for i := 0; i < rounds; i++ {
			rr, fault := pc.collect(ctx, r)
			if fault != nil {
				t.Fatal(fault)
			}
			objects = len(rr.Objects)
		}
		return time.Since(start) / rounds, objects
	}

	full, objects := collect(paths)
	t.Logf("feed_collect_ms=%.2f (the operator's %d VM paths, %d objects watched)", ms(full), len(paths), objects)
	none, _ := collect([]string{})
	t.Logf("feed_collect_no_paths_ms=%.2f (traversal alone)", ms(none))
	for _, p := range paths {
		one, _ := collect([]string{p})
		t.Logf("feed_collect_path_ms{path=%q}=%.2f", p, ms(one))
	}

	// How many changes a drift's power-offs queue for every feed, through a client like the
	// benchmark's second session.
	s := m.Service.NewServer()
	defer s.Close()
	c, err := govmomi.NewClient(context.Background(), s.URL, true)
	if err != nil {
		t.Fatal(err)
	}
	list, err := find.NewFinder(c.Client).VirtualMachineList(context.Background(), "*")
	if err != nil || len(list) < offs {
		t.Fatalf("%d VMs: %v", len(list), err)
	}
	counter := &changeCounter{}
	Map.AddHandler(counter)
	for _, vm := range list[:offs] {
		task, err := vm.PowerOff(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if err := task.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	changes := atomic.LoadInt64(&counter.n)
	t.Logf("changes_per_power_off=%.1f (%d power-offs, %d changes)", float64(changes)/float64(offs), offs, changes)
	t.Logf("feed_notify_estimate_s=%.2f (changes x collect)", float64(changes)*full.Seconds())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
