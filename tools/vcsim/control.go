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

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func registerControl(s *simulator.Service) {
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
