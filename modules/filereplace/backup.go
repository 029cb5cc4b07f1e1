package filereplace

import (
	"context"
	"fmt"
	"time"

	"github.com/rotplay/rotplay/transport"
)

// backupStamp is the UTC time in a backup's name: sortable, and free of the
// colons Windows forbids in file names.
const backupStamp = "20060102T150405"

// maxBackupNames bounds the search for a free backup name; reaching it means
// something is creating backups in a loop.
const maxBackupNames = 100

// writeBackup saves data, the original content of path, next to it and
// returns the backup's path. The backup gets the original's owner, group and
// mode: it may hold a secret that only the original's owner may read.
func writeBackup(ctx context.Context, conn transport.Conn, path string, data []byte, info transport.FileInfo, now time.Time) (string, error) {
	name, err := backupName(ctx, conn, path, now)
	if err != nil {
		return "", err
	}
	if err := conn.WriteFile(ctx, name, data, protectedLike(info)); err != nil {
		return "", fmt.Errorf("back up %s: %w", path, err)
	}
	return name, nil
}

// backupName returns the first free name among <path>.<stamp>.bak,
// <path>.<stamp>.1.bak, <path>.<stamp>.2.bak, ... Two runs within a second
// must not overwrite the first backup, which holds the oldest original.
func backupName(ctx context.Context, conn transport.Conn, path string, now time.Time) (string, error) {
	base := path + "." + now.UTC().Format(backupStamp)
	for i := range maxBackupNames {
		name := base + ".bak"
		if i > 0 {
			name = fmt.Sprintf("%s.%d.bak", base, i)
		}
		_, err := conn.Stat(ctx, name)
		if transport.IsNotExist(err) {
			return name, nil
		}
		if err != nil {
			return "", fmt.Errorf("back up %s: stat %s: %w", path, name, err)
		}
	}
	return "", fmt.Errorf("back up %s: %s.bak to %s.%d.bak all exist; remove old backups", path, base, base, maxBackupNames-1)
}
