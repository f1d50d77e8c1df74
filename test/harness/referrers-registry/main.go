// A registry that serves the OCI 1.1 referrers API (GET /v2/<name>/referrers/<digest>),
// which the CNCF distribution registry the other tests use does not: go-containerregistry's
// pkg/registry with referrers support, in memory, on the address given. The test harness
// builds it (test/harness/referrers-registry.ts) and stops it by signal.
//
// pkg/registry indexes subjects but does not say so: a registry with the API must answer a
// manifest PUT that has a `subject` with the header OCI-Subject (distribution spec 1.1,
// "Pushing Manifests with Subject"), which tells clients that no fallback tag is needed.
// The wrapper below adds it, so the suite meets the API as conformant registries serve it.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "host:port to listen on")
	flag.Parse()
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	logger := log.New(os.Stderr, "", log.LstdFlags)
	logger.Printf("listening on %s", listener.Addr())
	handler := registry.New(registry.WithReferrersSupport(true), registry.Logger(logger))
	log.Fatal(http.Serve(listener, withOCISubject(handler)))
}

func withOCISubject(next http.Handler) http.Handler {
	return http.HandlerFunc(func(resp http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPut && strings.Contains(req.URL.Path, "/manifests/") {
			body, err := io.ReadAll(req.Body)
			if err != nil {
				http.Error(resp, err.Error(), http.StatusBadRequest)
				return
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			var manifest struct {
				Subject *struct {
					Digest string `json:"digest"`
				} `json:"subject"`
			}
			if json.Unmarshal(body, &manifest) == nil && manifest.Subject != nil {
				resp.Header().Set("OCI-Subject", manifest.Subject.Digest)
			}
		}
		next.ServeHTTP(resp, req)
	})
}
