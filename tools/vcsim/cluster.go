package main

// Clusters: DRS on or off (-drs), and change-feed updates for DRS rule changes.
//
// govmomi 0.24.2 stores ReconfigureComputeResource_Task's rulesSpec in the cluster's
// configurationEx (add, edit, remove) but changes it in place without simulator.Map.Update, so no
// property collector hears of it: a WaitForUpdatesEx feed watching the cluster never reports a
// rule change, where vCenter reports configurationEx as modified. Clusters can't be wrapped the way
// VMs are (async.go): the simulator's own code switches on *simulator.ClusterComputeResource
// (inventory paths, host placement), which a wrapper would no longer match. Instead a registry
// handler watches for the end of a reconfigure task (the simulator announces task states through
// the registry) and announces the cluster's configurationEx then, on success and on failure
// alike, since a failed change list may have been applied up to its bad change.
//
// Other simulator quirks of rules, left as they are: an edit finds its rule by name, not by key
// as vCenter does, and a change list is applied up to its first bad change instead of whole or not
// at all.

import (
	"reflect"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// setDrs turns DRS on or off in every cluster of the model; the simulator creates them with it on.
func setDrs(enabled bool) {
	for _, e := range simulator.Map.All("ClusterComputeResource") {
		c, ok := e.(*simulator.ClusterComputeResource)
		if !ok {
			continue
		}
		if cfg, ok := c.ConfigurationEx.(*types.ClusterConfigInfoEx); ok {
			cfg.DrsConfig.Enabled = types.NewBool(enabled)
		}
	}
}

// clusterAnnouncer is the registry handler that reports rule changes (see the file comment).
type clusterAnnouncer struct{}

func (clusterAnnouncer) Reference() types.ManagedObjectReference {
	return types.ManagedObjectReference{Type: "VcsimLauncher", Value: "cluster-announcer"}
}

func (clusterAnnouncer) PutObject(mo.Reference) {}

func (clusterAnnouncer) RemoveObject(types.ManagedObjectReference) {}

// UpdateObject runs inside the simulator's Map.Update of the task, on the goroutine of the SOAP
// call, which holds the cluster's lock; so the cluster is read and announced under that lock.
func (clusterAnnouncer) UpdateObject(obj mo.Reference, changes []types.PropertyChange) {
	task, ok := obj.(*mo.Task)
	if !ok || task.Info.DescriptionId != "ClusterComputeResource.reconfigureCluster" || task.Info.Entity == nil {
		return
	}
	ended := false
	for _, c := range changes {
		if c.Name == "info.state" && (c.Val == types.TaskInfoStateSuccess || c.Val == types.TaskInfoStateError) {
			ended = true
		}
	}
	if !ended {
		return
	}
	cluster, ok := simulator.Map.Get(*task.Info.Entity).(*simulator.ClusterComputeResource)
	if !ok || cluster.ConfigurationEx == nil {
		return
	}
	// The collectors serialize the announced value later, when a WaitForUpdatesEx returns; the next
	// reconfigure edits the cluster's rules in place. So the collectors get a copy of their own,
	// and the cluster keeps another.
	announced := deepCopy(reflect.ValueOf(&cluster.ConfigurationEx).Elem()).Interface().(types.BaseComputeResourceConfigInfo)
	own := deepCopy(reflect.ValueOf(&cluster.ConfigurationEx).Elem()).Interface().(types.BaseComputeResourceConfigInfo)
	simulator.Map.Update(cluster, []types.PropertyChange{{Name: "configurationEx", Val: announced}})
	cluster.ConfigurationEx = own
}
