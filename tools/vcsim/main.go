// Command vcsim starts govmomi's vCenter simulator for the operator's demo and tests.
//
// It prints one line "VCSIM_URL=<url>" to stdout once the server accepts connections, so a
// parent process can start it on port 0 and learn the address. It exits when stdin reaches EOF
// (the parent died or closed the pipe) or on SIGINT/SIGTERM, so no simulator outlives its test.
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
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	useTLS := flag.Bool("tls", false, "serve HTTPS with a self-signed certificate for localhost")
	certOut := flag.String("cert-out", "", "with -tls: write the server certificate (PEM) to this file")
	clusterHosts := flag.Int("cluster-hosts", 3, "hosts in the cluster DC0_C0")
	standaloneHosts := flag.Int("standalone-hosts", 0, "standalone hosts per datacenter (each brings its own resource pool)")
	vms := flag.Int("vms", 2, "VMs per host or resource pool created by the model")
	templates := flag.String("templates", "vm-operator-template", "comma-separated names of templates to create in /DC0/vm")
	stdinWatch := flag.Bool("exit-on-stdin-eof", true, "exit when stdin is closed")
	flag.Parse()

	model := simulator.VPX()
	model.Host = *standaloneHosts
	model.ClusterHost = *clusterHosts
	model.Machine = *vms
	if err := model.Create(); err != nil {
		log.Fatalf("create model: %v", err)
	}
	model.Service.Listen = &url.URL{Host: *listen}
	if *useTLS {
		model.Service.TLS = new(tls.Config)
	}
	server := model.Service.NewServer()

	if *useTLS && *certOut != "" {
		block := &pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw}
		if err := ioutil.WriteFile(*certOut, pem.EncodeToMemory(block), 0o644); err != nil {
			log.Fatalf("write certificate: %v", err)
		}
	}

	if err := createTemplates(server.URL, splitNames(*templates)); err != nil {
		log.Fatalf("create templates: %v", err)
	}

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
func createTemplates(u *url.URL, names []string) error {
	if len(names) == 0 {
		return nil
	}
	ctx := context.Background()
	c, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		return err
	}
	defer c.Logout(ctx)
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
		if err := vm.MarkAsTemplate(ctx); err != nil {
			return err
		}
	}
	return nil
}
