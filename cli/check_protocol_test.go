package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// dropFieldsProxy serves target's answers, with keys removed from the body
// of every GET whose path matches path (a REST body without fields MO
// always sends).
func dropFieldsProxy(t *testing.T, target string, path *regexp.Regexp, keys ...string) *httptest.Server {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ErrorLog = log.New(io.Discard, "", 0) // the reads still running when one fails are cancelled
	direct := rp.Director
	rp.Director = func(r *http.Request) {
		direct(r)
		r.Header.Del("Accept-Encoding")
	}
	rp.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.Method != http.MethodGet || resp.StatusCode != http.StatusOK || !path.MatchString(resp.Request.URL.Path) {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var obj map[string]any
		if json.Unmarshal(b, &obj) == nil {
			for _, k := range keys {
				delete(obj, k)
			}
			b, _ = json.Marshal(obj)
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	return srv
}

// TestCheckAndPlanRefuseAPartialMOAnswer: a REST MO whose /ou/{uuid}/
// answers lack the unit's name, parent and validity (the field report:
// check said "1 unit under the top unit" where there were 50) fails check
// and plan with exit 1, naming the endpoint and the field, and nothing is
// planned.
func TestCheckAndPlanRefuseAPartialMOAnswer(t *testing.T) {
	w := newCLIWorld(t)
	proxy := dropFieldsProxy(t, w.srv.MOURL, regexp.MustCompile(`^/service/ou/[0-9a-f-]{36}/$`), "name", "parent", "validity")
	ini := filepath.Join(w.dir, "settings.ini")
	b, err := os.ReadFile(ini)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "OS2MO_SERVICE_URL = "+w.srv.MOURL+"/service", "OS2MO_SERVICE_URL = "+proxy.URL+"/service", 1)
	// REST has no external_id to write objectGUID to.
	s = strings.Replace(s, "OS2MO_API = graphql", "OS2MO_API = rest\nOS2MO_SAML_TOKEN = 0d3c2b1a-5e4f-4a6b-8c7d-9e0f1a2b3c4d\nAD_MAPPING = objectGUID = off", 1)
	if s == string(b) {
		t.Fatal("settings.ini not rewritten")
	}
	if err := os.WriteFile(ini, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	fieldRE := regexp.MustCompile(`GET /service/ou/[0-9a-f-]{36}/\?\S*: MO protocol error: response lacks "name"`)

	r := w.run(t, "check")
	if r.code != exitError {
		t.Errorf("check: exit %d, want %d\n%s", r.code, exitError, r.stdout)
	}
	if !strings.Contains(r.stdout, "  MO          FAILED          ") || !fieldRE.MatchString(r.stdout) {
		t.Errorf("check does not name the endpoint and the field:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "units under the top unit") {
		t.Errorf("check counted units from the partial answers:\n%s", r.stdout)
	}

	out := filepath.Join(w.dir, "plan.json")
	r = w.run(t, "plan", "--out", out)
	if r.code != exitError || !fieldRE.MatchString(r.stdout+r.stderr) {
		t.Errorf("plan: exit %d, want %d naming the field\nstdout:\n%s\nstderr:\n%s", r.code, exitError, r.stdout, r.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("plan wrote a plan from the partial answers")
	}
}
