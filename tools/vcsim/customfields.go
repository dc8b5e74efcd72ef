package main

// SetField as vCenter does it. govmomi's simulator appends a value to the entity's customValue
// without telling property collectors, so a change feed never hears of it, and a second SetField
// of the same field leaves two values. The wrapper keeps one value per field (the last; an empty
// one clears it, as vCenter shows a cleared value) and reports the new customValue, as vCenter's
// change feeds do.

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type customFields struct {
	simulator.CustomFieldsManager
}

// wrapCustomFields replaces the CustomFieldsManager in the registry. Only the simulator's
// SetCustomValue method looks the manager up by type (it would panic); the operator doesn't call it.
func wrapCustomFields() {
	cfm := simulator.Map.CustomFieldsManager()
	registryReplace(simulator.Map, &customFields{*cfm})
}

func (c *customFields) SetField(ctx *simulator.Context, req *types.SetField) soap.HasFault {
	if simulator.Map.Get(req.Entity) == nil {
		// vCenter's answer for an object that is gone; the simulator's own SetField panics on it,
		// which closes the connection and reads as an unreachable vCenter.
		return &methods.SetFieldBody{
			Fault_: simulator.Fault("", &types.ManagedObjectNotFound{Obj: req.Entity}),
		}
	}
	res := c.CustomFieldsManager.SetField(ctx, req)
	if res.Fault() != nil {
		return res
	}
	obj := simulator.Map.Get(req.Entity)
	ctx.WithLock(obj, func() {
		entity := obj.(mo.Entity).Entity()
		var kept []types.BaseCustomFieldValue
		for _, v := range entity.CustomValue {
			if v.GetCustomFieldValue().Key != req.Key {
				kept = append(kept, v)
			}
		}
		if req.Value != "" {
			kept = append(kept, &types.CustomFieldStringValue{
				CustomFieldValue: types.CustomFieldValue{Key: req.Key}, Value: req.Value})
		}
		simulator.Map.Update(obj, []types.PropertyChange{
			{Name: "customValue", Val: kept},
			{Name: "value", Val: kept},
		})
	})
	return res
}
