// Command knative-check validates Knative Services the way Knative Serving's admission webhook
// does: each object is decoded into serving.knative.dev/v1 Service, defaulted (SetDefaults) and
// validated (Validate) by knative.dev/serving's own API code, as on create. It reads a JSON array
// of objects on stdin (other kinds are skipped) and prints a JSON array with one entry per
// Service: its name and the errors found, with their field paths.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"knative.dev/pkg/apis"
	v1 "knative.dev/serving/pkg/apis/serving/v1"
)

type result struct {
	Name   string `json:"name"`
	Errors string `json:"errors,omitempty"`
}

func main() {
	var objects []json.RawMessage
	if err := json.NewDecoder(os.Stdin).Decode(&objects); err != nil {
		fmt.Fprintln(os.Stderr, "knative-check: stdin is not a JSON array of objects:", err)
		os.Exit(2)
	}
	results := []result{}
	for _, raw := range objects {
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := json.Unmarshal(raw, &meta); err != nil || meta.APIVersion != "serving.knative.dev/v1" || meta.Kind != "Service" {
			continue
		}
		var svc v1.Service
		r := result{}
		if err := json.Unmarshal(raw, &svc); err != nil {
			r.Errors = "does not decode as a Knative Service: " + err.Error()
		} else {
			r.Name = svc.Name
			ctx := apis.WithinCreate(context.Background())
			svc.SetDefaults(ctx)
			if errs := svc.Validate(ctx); errs != nil {
				r.Errors = errs.Error()
			}
		}
		results = append(results, r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		os.Exit(2)
	}
}
