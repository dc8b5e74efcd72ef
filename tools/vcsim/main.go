// Command vcsim starts govmomi's vCenter simulator for the operator's demo and tests.
//
// It prints one line "VCSIM_URL=<url>" to stdout once the server accepts connections, so a
// parent process can start it on port 0 and learn the address. It exits when stdin reaches EOF
// (the parent died or closed the pipe) or on SIGINT/SIGTERM, so no simulator outlives its test.
//
// Beyond govmomi's simulator it offers (all optional; the defaults keep the simulator's behaviour
// except for the name rule):
//   - asynchronous tasks: -clone-delay, -power-delay, -reconfigure-delay, -destroy-delay and
//     -task-jitter (see async.go);
//   - call delays: -delay, -method-delay NAME=DURATION,... and -delay-jitter (the model's
//     DelayConfig);
//   - vCenter's name rule: CloneVM_Task fails with DuplicateName when the destination folder holds
//     a VM of that name or another clone of that name into it is in flight
//     (-allow-duplicate-names turns this off);
//   - vCenter's handling of a clone's Notes, cores per socket, disk growth, NIC networks and
//     guest customization, and of disk growth in place (clonespec.go; off with -clone-quirks);
//   - fault injection: -fail-clone REGEX, and a control endpoint under /vcsim/ (control.go);
//   - guests that come up: -guest-delay, and POST /vcsim/guest to set a guest's heartbeat, Tools,
//     address and guestinfo keys (guest.go);
//   - -clusters N clusters of -cluster-hosts hosts each, with DRS on unless -drs=false, and DRS
//     rule changes reported to change feeds (cluster.go);
//   - -session-idle-timeout, the simulator's SessionIdleTimeout;
//   - -pprof ADDR (or VCSIM_PPROF): Go's profiler on its own port, to see where the simulator
//     spends its time under a benchmark (go tool pprof http://ADDR/debug/pprof/profile).
package main

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"log"
	"net/http"
	_ "net/http/pprof"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	// The simulator logs each feed batch it applies and each change in it; with microseconds a
	// notification can be timed from this log by hand (docs/benchmarks.md, "the feed's timeline").
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	useTLS := flag.Bool("tls", false, "serve HTTPS with a self-signed certificate for localhost")
	certOut := flag.String("cert-out", "", "with -tls: write the server certificate (PEM) to this file")
	clusters := flag.Int("clusters", 1, "clusters in the datacenter: DC0_C0, DC0_C1, ...")
	clusterHosts := flag.Int("cluster-hosts", 3, "hosts in each cluster")
	drs := flag.Bool("drs", true, "clusters have DRS enabled (false: DRS off, so no DRS rule acts)")
	standaloneHosts := flag.Int("standalone-hosts", 0, "standalone hosts per datacenter (each brings its own resource pool)")
	vms := flag.Int("vms", 2, "VMs per host or resource pool created by the model")
	templates := flag.String("templates", "vm-operator-template", "comma-separated names of templates to create in /DC0/vm")
	flag.BoolVar(&cloneQuirks, "clone-quirks", false, "clone as govmomi's simulator does: ignore the clone spec's CPU, memory, powerOn, Notes, cores per socket and customization")
	hotAddTemplates := flag.String("hot-add-templates", "", "comma-separated names of templates with CPU and memory hot-add enabled")
	snapshotTemplates := flag.String("snapshot-templates", "", "comma-separated names of templates given a snapshot (for linked clones)")
	stdinWatch := flag.Bool("exit-on-stdin-eof", true, "exit when stdin is closed")
	cloneDelay := flag.Duration("clone-delay", 0, "run CloneVM_Task asynchronously, finishing after this long (0: inside the call)")
	powerDelay := flag.Duration("power-delay", 0, "run PowerOnVM_Task and PowerOffVM_Task asynchronously, finishing after this long")
	reconfigureDelay := flag.Duration("reconfigure-delay", 0, "run ReconfigVM_Task asynchronously, finishing after this long")
	destroyDelay := flag.Duration("destroy-delay", 0, "run a VM's Destroy_Task asynchronously, finishing after this long")
	taskJitter := flag.Float64("task-jitter", 0, "vary each task delay uniformly by up to this fraction (0.2: +-20%)")
	callDelay := flag.Duration("delay", 0, "delay every SOAP call by this long")
	methodDelays := flag.String("method-delay", "", "delay SOAP calls of these methods: NAME=DURATION[,NAME=DURATION...]")
	delayJitter := flag.Float64("delay-jitter", 0, "call delay jitter, as a coefficient of variation (stddev/mean)")
	failClonePattern := flag.String("fail-clone", "", "clone tasks whose destination name matches this regular expression fail with NoDiskSpace")
	allowDuplicates := flag.Bool("allow-duplicate-names", false, "let CloneVM_Task create a second VM of the same name in a folder (govmomi's behaviour)")
	idleTimeout := flag.Duration("session-idle-timeout", 0, "expire sessions idle for this long (0: never)")
	username := flag.String("username", "", "with -password: the only user Login accepts (default: any non-empty user and password)")
	password := flag.String("password", "", "with -username: the only password Login accepts")
	guestUpDelay := flag.Duration("guest-delay", 0, "a powered-on VM's guest reports Tools running, heartbeat green and an address after this long; power-off clears them (0: guests stay as the simulator keeps them)")
	pprofAddr := flag.String("pprof", os.Getenv("VCSIM_PPROF"), "serve Go's net/http/pprof on this address (empty: off)")
	flag.Parse()
	if *pprofAddr != "" {
		go func() { log.Printf("pprof: %v", http.ListenAndServe(*pprofAddr, nil)) }()
	}

	methodDelayMs, err := parseMethodDelays(*methodDelays)
	if err != nil {
		log.Fatalf("-method-delay: %v", err)
	}
	if err := setFailClone(*failClonePattern); err != nil {
		log.Fatalf("-fail-clone: %v", err)
	}
	enforceUniqueNames = !*allowDuplicates
	simulator.SessionIdleTimeout = *idleTimeout

	model := simulator.VPX()
	model.Host = *standaloneHosts
	model.Cluster = *clusters
	model.ClusterHost = *clusterHosts
	model.Machine = *vms
	if err := model.Create(); err != nil {
		log.Fatalf("create model: %v", err)
	}
	wrapAllVMs()
	wrapCustomFields()
	if !*drs {
		setDrs(false)
	}
	simulator.Map.AddHandler(clusterAnnouncer{})
	model.Service.Listen = &url.URL{Host: *listen}
	if *username != "" && *password != "" {
		model.Service.Listen.User = url.UserPassword(*username, *password)
	}
	if *useTLS {
		model.Service.TLS = new(tls.Config)
	}
	server := model.Service.NewServer()
	registerControl(model)
	registerREST(model)

	if *useTLS && *certOut != "" {
		block := &pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw}
		if err := ioutil.WriteFile(*certOut, pem.EncodeToMemory(block), 0o644); err != nil {
			log.Fatalf("write certificate: %v", err)
		}
	}

	if err := createTemplates(server.URL, splitNames(*templates), splitNames(*hotAddTemplates), splitNames(*snapshotTemplates)); err != nil {
		log.Fatalf("create templates: %v", err)
	}
	if err := createTagCategories(server.URL, tagCategoryFlags); err != nil {
		log.Fatalf("-tag-category: %v", err)
	}
	if names := splitNames(*templates); *contentLibraryFlag != "" {
		first := ""
		if len(names) > 0 {
			first = names[0]
		}
		if err := createContentLibrary(server.URL, *contentLibraryFlag, first); err != nil {
			log.Fatalf("-content-library: %v", err)
		}
	}

	// Delays start after the templates exist, so they don't slow down the start.
	delays.mu.Lock()
	delays.clone, delays.power = *cloneDelay, *powerDelay
	delays.reconfigure, delays.destroy = *reconfigureDelay, *destroyDelay
	delays.jitter = *taskJitter
	delays.mu.Unlock()
	guestDelay = *guestUpDelay
	guestsUpAtStart()
	// The service reads the model's DelayConfig on every call; nothing calls it yet.
	model.DelayConfig.Delay = int(callDelay.Milliseconds())
	model.DelayConfig.MethodDelay = methodDelayMs
	model.DelayConfig.DelayJitter = *delayJitter

	u := *server.URL
	u.User = nil
	fmt.Printf("VCSIM_URL=%s\n", u.String())
	os.Stdout.Sync()

	done := make(chan struct{}, 1)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() { <-signals; done <- struct{}{} }()
	if *stdinWatch {
		go func() { _, _ = io.Copy(ioutil.Discard, os.Stdin); done <- struct{}{} }()
	}
	<-done
	server.Close()
	model.Remove()
}

// parseMethodDelays parses NAME=DURATION[,NAME=DURATION...] into the milliseconds DelayConfig
// wants. Names are SOAP method names, e.g. RetrievePropertiesEx or CloneVM_Task.
func parseMethodDelays(s string) (map[string]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	m := map[string]int{}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		kv := strings.SplitN(item, "=", 2)
		if len(kv) != 2 || strings.TrimSpace(kv[0]) == "" {
			return nil, fmt.Errorf("%q: want NAME=DURATION", item)
		}
		v := strings.TrimSpace(kv[1])
		d, err := time.ParseDuration(v)
		if err != nil {
			ms, err2 := strconv.Atoi(v) // plain milliseconds, as DelayConfig counts them
			if err2 != nil {
				return nil, fmt.Errorf("%q: %v", item, err)
			}
			d = time.Duration(ms) * time.Millisecond
		}
		m[strings.TrimSpace(kv[0])] = int(d.Milliseconds())
	}
	return m, nil
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

func splitNames(s string) []string {
	var names []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names
}

// createTemplates clones the model's first VM into the datacenter's VM folder and marks each
// clone as a template, the way an administrator prepares one in vCenter.
func createTemplates(u *url.URL, names, hotAdd, snapshot []string) error {
	if len(names) == 0 {
		return nil
	}
	return asAdministrator(u, func(ctx context.Context, c *govmomi.Client) error {
		finder := find.NewFinder(c.Client, true)
		dc, err := finder.DefaultDatacenter(ctx)
		if err != nil {
			return err
		}
		finder.SetDatacenter(dc)
		all, err := finder.VirtualMachineList(ctx, "*")
		if err != nil {
			return err
		}
		source := all[0]
		pool, err := source.ResourcePool(ctx)
		if err != nil {
			return err
		}
		folders, err := dc.Folders(ctx)
		if err != nil {
			return err
		}
		poolRef := pool.Reference()
		for _, name := range names {
			task, err := source.Clone(ctx, folders.VmFolder, name, types.VirtualMachineCloneSpec{
				Location: types.VirtualMachineRelocateSpec{Pool: &poolRef},
			})
			if err != nil {
				return err
			}
			info, err := task.WaitForResult(ctx, nil)
			if err != nil {
				return err
			}
			vm, err := finder.VirtualMachine(ctx, name)
			if err != nil {
				return fmt.Errorf("template %s (%v): %v", name, info.Result, err)
			}
			if _, err := vm.PowerOff(ctx); err != nil {
				return err
			}
			if contains(hotAdd, name) {
				on := true
				task, err := vm.Reconfigure(ctx, types.VirtualMachineConfigSpec{CpuHotAddEnabled: &on, MemoryHotAddEnabled: &on})
				if err != nil {
					return err
				}
				if err := task.Wait(ctx); err != nil {
					return err
				}
			}
			if contains(snapshot, name) {
				var err error
				withPlainVM(vm.Reference(), func() {
					var task *object.Task
					if task, err = vm.CreateSnapshot(ctx, "base", "for linked clones", false, false); err == nil {
						err = task.Wait(ctx)
					}
				})
				if err != nil {
					return err
				}
			}
			if err := vm.MarkAsTemplate(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}

// asAdministrator runs f on a session of the launcher's own, logged out afterwards, as an
// administrator preparing the inventory would work.
func asAdministrator(u *url.URL, f func(ctx context.Context, c *govmomi.Client) error) error {
	ctx := context.Background()
	c, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		return err
	}
	defer c.Logout(ctx)
	return f(ctx, c)
}
