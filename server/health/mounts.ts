import { readFile, stat } from 'node:fs/promises';

/** Filesystems that hold data an operator cares about; pseudo and RAM-backed ones (tmpfs, proc, cgroup …) are not here. */
const REAL_FILESYSTEMS = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'zfs',
  'f2fs',
  'vfat',
  'exfat',
  'ntfs',
  'ntfs3',
  'jfs',
  'reiserfs',
  'overlay',
  'fuseblk',
  'nfs',
  'nfs4',
  'cifs',
  'apfs',
  'hfs',
]);

/**
 * Trees where the system and container runtimes mount what comes and goes: container root
 * filesystems (overlays under /var/lib/docker or /run/containerd), snaps, kernel interfaces.
 */
const TRANSIENT_TREES = ['/proc', '/sys', '/dev', '/run', '/snap', '/var/lib/docker', '/var/lib/containers', '/var/lib/kubelet'];

export interface MountEntry {
  /** major:minor of the filesystem: two mount points with the same one show the same space. */
  device: string;
  mountPoint: string;
  fsType: string;
}

/** `\040` and friends: how the kernel escapes spaces, tabs and newlines in mount points. */
const unescape = (text: string) => text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));

/** The lines of /proc/self/mountinfo: `id parent major:minor root mountpoint options [optional…] - fstype source superoptions`. */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (fields.length < 7 || separator < 0) continue;
    entries.push({ device: fields[2], mountPoint: unescape(fields[4]), fsType: fields[separator + 1] });
  }
  return entries;
}

const inTransientTree = (mountPoint: string) => TRANSIENT_TREES.some((tree) => mountPoint === tree || mountPoint.startsWith(`${tree}/`));

/**
 * The disks worth watching, once each. A filesystem mounted at several places (a bind mount, a
 * btrfs subvolume) is the same space, so it is shown once, at its shortest mount point; an
 * overlay is a disk only as the root of the container Vigil runs in.
 */
export function realFilesystems(entries: readonly MountEntry[]): string[] {
  const byDevice = new Map<string, string>();
  for (const { device, mountPoint, fsType } of entries) {
    if (!REAL_FILESYSTEMS.has(fsType) || inTransientTree(mountPoint)) continue;
    if (fsType === 'overlay' && mountPoint !== '/') continue;
    const known = byDevice.get(device);
    if (known === undefined || mountPoint.length < known.length) byDevice.set(device, mountPoint);
  }
  return [...byDevice.values()];
}

/** Every real filesystem mounted now; a file bind-mounted over another (a container's /etc/hosts) is not a disk. */
export async function listMounts(): Promise<string[]> {
  try {
    const candidates = realFilesystems(parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8')));
    const directories = await Promise.all(
      candidates.map((mount) =>
        stat(mount).then(
          (s) => s.isDirectory(),
          () => false,
        ),
      ),
    );
    const mounts = candidates.filter((_, i) => directories[i]);
    return mounts.length > 0 ? mounts : ['/'];
  } catch {
    return ['/'];
  }
}
