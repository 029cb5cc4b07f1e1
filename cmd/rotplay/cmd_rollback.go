package main

type rollbackCmd struct {
	runCmd
}

// Run runs the rotation playbook in rollback mode: every host gets the old
// token back, verified, and only then is the rotation cancelled.
func (c *rollbackCmd) Run(e *env) error {
	c.ExtraVars = append([]string{"{rollback: true}"}, c.ExtraVars...)
	return c.runCmd.Run(e)
}

// Help is shown by `rotplay rollback --help`.
func (c *rollbackCmd) Help() string {
	return `Rolls back the rotation that is open and saved in the state directory: runs the
playbook (normally playbooks/rotation.yaml) with rollback: true, so every host gets
the OLD token back and is verified on it, and only then calls the API's cancel. The
cancel gate refuses while any host is not verified back on the old token: cancelling
then would cut it off, since cancel invalidates the new token. A rotation that is not
saved here (started elsewhere, or its start answer lost) cannot be rolled back from
here: its tokens are unknown.

Example:
  rotplay rollback playbooks/rotation.yaml -i hosts.yaml`
}
