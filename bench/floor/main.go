// Command floor is the benchmark's floor: the least a program can do to
// rotate the tenant token over SSH, with no safety beyond the job's own
// order (start, ActiveGates, barrier, OneAgents, finish only if all
// succeeded). One connection and one remote command per host, the token on
// stdin, host keys verified, at most -forks hosts at once. It is not a tool:
// rotplay's cost over it is rotplay's overhead.
//
// Hosts file: one "activegate|oneagent address:port user" line per host.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

const agScript = `read -r t; c=/var/lib/dynatrace/gateway/config/authorization.properties; p=/opt/dynatrace
systemctl stop dynatracegateway &&
sed -i "/^\[$1\]/,/^\[/s/^tenantToken = .*/tenantToken = $t/" $c &&
for f in $p/remotepluginmodule/agent/conf/ruxitagent.conf $p/zremote/agent/conf/ruxitagent.conf; do
  [ ! -f $f ] || sed -i "s/^TenantToken [^\r]*/TenantToken $t/" $f || exit; done &&
{ [ ! -f $p/remotepluginmodule/agent/conf/extensions.conf ] ||
  sed -i "s/^TenantToken=.*/TenantToken=$t/" $p/remotepluginmodule/agent/conf/extensions.conf; } &&
systemctl start dynatracegateway && grep -q "^tenantToken = $t" $c &&
{ [ ! -f $p/zremote/agent/conf/ruxitagent.conf ] || systemctl restart zremote; }`

const oaScript = `read -r t; o=/opt/dynatrace/oneagent/agent/tools/oneagentctl
$o --set-tenant-token="$t" --restart-service >/dev/null && [ "$($o --get-tenant-token)" = "$t" ]`

func main() {
	api := flag.String("api", "", "environment URL")
	tenant := flag.String("tenant", "", "environment ID")
	apiTokenFile := flag.String("api-token-file", "", "file with the API token")
	keyFile := flag.String("key", "", "private key file")
	knownHostsFile := flag.String("known-hosts", "", "known_hosts file")
	forks := flag.Int("forks", 50, "hosts at once")
	flag.Parse()
	apiToken, err := os.ReadFile(*apiTokenFile)
	check(err)
	keyPEM, err := os.ReadFile(*keyFile)
	check(err)
	signer, err := ssh.ParsePrivateKey(keyPEM)
	check(err)
	hostKeys, err := knownhosts.New(*knownHostsFile)
	check(err)
	hosts := map[string][][2]string{}
	f, err := os.Open(flag.Arg(0))
	check(err)
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if w := strings.Fields(sc.Text()); len(w) == 3 {
			hosts[w[0]] = append(hosts[w[0]], [2]string{w[1], w[2]})
		}
	}
	call := func(op string) []byte {
		req, _ := http.NewRequest("POST", *api+"/api/v2/tenantTokenRotation/"+op, nil)
		req.Header.Set("Authorization", "Api-Token "+strings.TrimSpace(string(apiToken)))
		resp, err := http.DefaultClient.Do(req)
		check(err)
		defer resp.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		if resp.StatusCode != http.StatusOK {
			log.Fatalf("%s: HTTP %d", op, resp.StatusCode)
		}
		return body.Bytes()
	}
	var started struct{ Active struct{ Value string } }
	check(json.Unmarshal(call("start"), &started))
	token := started.Active.Value
	var failed atomic.Int32
	phase := func(hs [][2]string, script string) { // runs every host, then returns: the barrier
		sem, wg := make(chan struct{}, *forks), sync.WaitGroup{}
		for _, h := range hs {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				if err := rotate(h[0], h[1], signer, hostKeys, script, *tenant, token); err != nil {
					failed.Add(1)
					log.Printf("%s: %v", h[0], err)
				}
			})
		}
		wg.Wait()
	}
	phase(hosts["activegate"], agScript)
	if failed.Load() == 0 {
		phase(hosts["oneagent"], oaScript)
	}
	if n := failed.Load(); n > 0 {
		log.Fatalf("%d hosts failed: rotation left open, not finished", n)
	}
	call("finish")
	fmt.Printf("rotated %d hosts\n", len(hosts["activegate"])+len(hosts["oneagent"]))
}

// rotate runs script on one host over one connection, the token on stdin.
func rotate(addr, user string, signer ssh.Signer, hostKeys ssh.HostKeyCallback, script, tenant, token string) error {
	client, err := ssh.Dial("tcp", addr, &ssh.ClientConfig{User: user, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)}, HostKeyCallback: hostKeys})
	if err != nil {
		return err
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return err
	}
	defer sess.Close()
	sess.Stdin = strings.NewReader(token + "\n")
	out, err := sess.CombinedOutput("sh -c '" + script + "' sh " + tenant)
	if err != nil { // oneagentctl may echo the token: never print it
		return fmt.Errorf("%v: %s", err, strings.ReplaceAll(string(out), token, "***"))
	}
	return nil
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
