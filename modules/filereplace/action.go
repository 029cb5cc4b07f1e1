package filereplace

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/rotplay/rotplay/modules"
	"github.com/rotplay/rotplay/transport"
)

// action is one decoded file_replace task.
type action struct {
	args    arguments
	keyMode bool           // key/value rather than regexp/replace
	re      *regexp.Regexp // nil when the regexp was a template at Decode
	now     func() time.Time
}

var _ modules.Action = (*action)(nil)

// plan is what the task found on a host, and what Apply writes.
type plan struct {
	info     transport.FileInfo
	original []byte
	edit     fileEdit
	editor   lineEditor
}

// Check reads the file and reports what Apply would change, with the same
// failures (absent file, wrong number of matching lines). It never writes.
func (a *action) Check(ctx context.Context, h modules.Host) (modules.Result, error) {
	p, res, err := a.prepare(ctx, h)
	if p == nil {
		return res, err
	}
	return a.report(p.edit, p.editor, "would change"), nil
}

// Apply writes the edited file when it differs from the original, after a
// backup when asked. A file already in the desired state is not written.
func (a *action) Apply(ctx context.Context, h modules.Host) (modules.Result, error) {
	p, res, err := a.prepare(ctx, h)
	if p == nil {
		return res, err
	}
	res = a.report(p.edit, p.editor, "changed")
	if !p.edit.changedBytes() {
		return res, nil
	}
	saved := ""
	if a.args.Backup {
		if saved, err = writeBackup(ctx, h.Conn, a.args.Path, p.original, p.info, a.now()); err != nil {
			return modules.Result{}, err
		}
		res.Values["backup"] = saved
	}
	if err := h.Conn.WriteFile(ctx, a.args.Path, p.edit.data, protectedLike(p.info)); err != nil {
		if saved != "" {
			return modules.Result{}, fmt.Errorf("write %s (original saved as %s): %w", a.args.Path, saved, err)
		}
		return modules.Result{}, fmt.Errorf("write %s: %w", a.args.Path, err)
	}
	return res, nil
}

// prepare reads and edits the file in memory. When the task ends without
// writing (file absent, wrong number of matching lines) it returns a nil
// plan and the final Result.
func (a *action) prepare(ctx context.Context, h modules.Host) (*plan, modules.Result, error) {
	ed, err := a.editor()
	if err != nil {
		return nil, modules.Result{}, err
	}
	data, info, err := h.Conn.ReadFile(ctx, a.args.Path)
	if transport.IsNotExist(err) {
		return nil, a.absent(), nil
	}
	if err != nil {
		return nil, modules.Result{}, fmt.Errorf("read %s: %w", a.args.Path, err)
	}
	fe, err := editFile(data, a.args.Section, ed)
	if err != nil {
		return nil, modules.Result{}, fmt.Errorf("edit %s: %w", a.args.Path, err)
	}
	if msg := a.countProblem(fe.textEdit); msg != "" {
		unchanged := fe.textEdit
		unchanged.changed = 0 // nothing is written, whatever the edit found
		res := modules.Result{Failed: true, Msg: msg, Values: a.values(unchanged)}
		if a.args.secret() {
			res.Secrets = fe.sensitive
		}
		return nil, res, nil
	}
	return &plan{info: info, original: data, edit: fe, editor: ed}, modules.Result{}, nil
}

// editor returns the line editor for the task. The regexp is compiled here
// only if Decode could not, because it was still a template; the engine
// decodes rendered arguments again before running, so this is a safety net.
func (a *action) editor() (lineEditor, error) {
	if a.keyMode {
		return keyEditor{key: a.args.Key, value: a.args.Value}, nil
	}
	re := a.re
	if re == nil {
		var err error
		if re, err = regexp.Compile(a.args.Regexp); err != nil {
			return nil, fmt.Errorf("compile regexp: %w", err)
		}
	}
	return regexpEditor{re: re, replace: a.args.Replace}, nil
}

// protectedLike returns write options that give a new file info's owner,
// group and mode. For a file that exists WriteFile keeps its own; these
// matter for a backup, which may hold a secret, and if the original
// disappeared between read and write.
func protectedLike(info transport.FileInfo) transport.WriteOptions {
	return transport.WriteOptions{
		Mode:  info.Mode,
		Chown: info.UID >= 0 && info.GID >= 0,
		UID:   info.UID,
		GID:   info.GID,
	}
}
