package main

// vCenter's REST API (govmomi's vapi/simulator) on the simulator's own server, with a gate in front
// that makes it behave more like vCenter and lets tests break it on purpose.
//
// The vapi simulator serves /rest only (vSphere 6.5-7's rendering; /api is not served, so clients
// fall back to /rest). It is registered by hand rather than through Service.RegisterEndpoints, so
// the gate can sit in front of it. The gate:
//   - accepts a REST login only with the credentials the SOAP Login accepts (the vapi simulator
//     takes any non-empty pair), also after /vcsim/credentials changed them;
//   - injects faults: REST calls hang or answer an HTTP error while SOAP works;
//   - adds to the content library what the simulator lacks (library.go).
//
// -tag-category NAME=TAG[,TAG...] creates a tag category for VMs with those tags (repeatable).
//
// Control endpoints (see control.go for the rest):
//
//	POST /vcsim/rest/fault?mode=hang|error|none&status=503
//	                                      REST calls (login included) hang until the mode changes
//	                                      or the client gives up, or answer with that HTTP status
//	                                      and a vAPI error body; none ends it
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
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vapi/rest"
	vapisim "github.com/vmware/govmomi/vapi/simulator"
	"github.com/vmware/govmomi/vapi/tags"
)

// tagCategories collects -tag-category flags: each NAME=TAG[,TAG...].
type tagCategories []string

func (t *tagCategories) String() string     { return strings.Join(*t, " ") }
func (t *tagCategories) Set(v string) error { *t = append(*t, v); return nil }

var tagCategoryFlags tagCategories

func init() {
	flag.Var(&tagCategoryFlags, "tag-category", "create a tag category for VMs with tags: NAME=TAG[,TAG...], e.g. env=prod,test (repeatable)")
}

const (
	sessionPath   = "/rest/com/vmware/cis/session"
	sessionHeader = "vmware-api-session-id"
)

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
	released chan struct{}   // closed when the current fault ends
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
	default:
		if !g.libraryRoute(w, r) {
			g.vapi.ServeHTTP(w, r)
		}
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

// createTagCategories creates what the -tag-category flags ask for, through the REST API as an
// administrator would.
func createTagCategories(u *url.URL, specs []string) error {
	if len(specs) == 0 {
		return nil
	}
	return asAdministrator(u, func(ctx context.Context, c *govmomi.Client) error {
		rc := rest.NewClient(c.Client)
		if err := rc.Login(ctx, u.User); err != nil {
			return fmt.Errorf("REST login: %v", err)
		}
		defer rc.Logout(ctx)
		for _, spec := range specs {
			if err := createTags(ctx, rc, spec); err != nil {
				return fmt.Errorf("tags %s: %v", spec, err)
			}
		}
		return nil
	})
}

func createTags(ctx context.Context, rc *rest.Client, spec string) error {
	kv := strings.SplitN(spec, "=", 2)
	if len(kv) != 2 || strings.TrimSpace(kv[0]) == "" {
		return fmt.Errorf("want NAME=TAG[,TAG...]")
	}
	m := tags.NewManager(rc)
	categoryID, err := m.CreateCategory(ctx, &tags.Category{
		Name: strings.TrimSpace(kv[0]), Cardinality: "MULTIPLE", AssociableTypes: []string{"VirtualMachine"}})
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
