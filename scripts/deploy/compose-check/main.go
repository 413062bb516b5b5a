// Command compose-check loads a Compose file with the Compose specification's own loader
// (github.com/compose-spec/compose-go, what `docker compose` uses): JSON-schema validation,
// interpolation of ${VAR} from the environment, merge keys and anchors, normalisation and the
// consistency checks (services named by depends_on and network_mode exist, volumes are declared).
// It prints the loaded project as JSON, or the loader's errors on stderr with exit status 1.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose file>")
		os.Exit(2)
	}
	options, err := cli.NewProjectOptions([]string{os.Args[1]}, cli.WithOsEnv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Stdout.Write(out)
}
