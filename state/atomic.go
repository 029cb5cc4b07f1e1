package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// WriteFileAtomic replaces the file name inside the directory with data,
// mode 0600: it writes a temporary file in the same directory, fsyncs it,
// renames it over name and fsyncs the directory. Nothing is ever
// half-written: on any error the old content (or no file) remains and the
// temporary file is removed. name is a plain file name, not a path.
func (d *Dir) WriteFileAtomic(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	target := filepath.Join(d.path, name)
	f, err := os.CreateTemp(d.path, ".tmp-"+name+"-*") // created 0600
	if err != nil {
		return fmt.Errorf("write %s: %w", target, err)
	}
	tmp := f.Name()
	if err := d.fill(f, data); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", target, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", target, err)
	}
	if err := syncDir(d.path); err != nil {
		return fmt.Errorf("write %s: the file is in place but may not survive a crash: %w", target, err)
	}
	return nil
}

// fill writes data to f, makes it 0600 and durable, and closes it; f is
// closed whatever happens.
func (d *Dir) fill(f *os.File, data []byte) error {
	err := d.write(f, data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

func writeAll(f *os.File, data []byte) error {
	_, err := f.Write(data)
	return err
}

// ReadFile returns the content of name. A file that does not exist gives
// an error wrapping fs.ErrNotExist.
func (d *Dir) ReadFile(name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(d.path, name))
	if err != nil {
		return nil, fmt.Errorf("read state file: %w", err)
	}
	return data, nil
}

// Remove deletes name durably. A name that does not exist is not an
// error, so that cleaning up can be repeated.
func (d *Dir) Remove(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	err := os.Remove(filepath.Join(d.path, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("remove state file: %w", err)
	}
	return syncDir(d.path)
}

// syncDir makes a rename or removal in dir durable. Windows cannot open a
// directory for syncing, and NTFS journals renames itself.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}
