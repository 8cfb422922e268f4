import { mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support';
import { listMounts, parseMountInfo, realFilesystems } from './mounts';

// A host with btrfs subvolumes, Docker running one container, a USB disk and a drill's tmpfs.
const HOST = `22 1 0:31 /@ / rw,relatime shared:1 - btrfs /dev/nvme0n1p2 rw,ssd,subvol=/@
23 22 0:31 /@home /home rw,relatime shared:2 - btrfs /dev/nvme0n1p2 rw,ssd,subvol=/@home
24 22 0:5 / /dev rw,nosuid shared:3 - devtmpfs udev rw
25 22 0:23 / /run rw,nosuid,nodev shared:5 - tmpfs tmpfs rw,mode=755
26 22 259:1 / /boot/efi rw,relatime shared:6 - vfat /dev/nvme0n1p1 rw
27 22 8:17 / /media/backup\\040disk rw,nosuid shared:7 - ext4 /dev/sdb1 rw
28 22 0:48 / /var/lib/docker/overlay2/3f9a/merged rw,relatime shared:8 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/A
29 25 0:49 / /run/containerd/io.containerd.runtime.v2.task/k8s.io/77ab/rootfs rw shared:9 - overlay overlay rw,lowerdir=/x
30 22 0:31 /@/srv/export /mnt/export rw,relatime shared:10 - btrfs /dev/nvme0n1p2 rw,ssd,subvol=/@
31 22 0:50 / /var/lib/vigil/drills/scratch rw,relatime shared:11 - tmpfs vigil-drill rw,size=256k,mode=700
32 25 0:4 net:[4026532281] /run/netns/cni-1 rw shared:12 - nsfs nsfs rw
33 22 0:51 / /snap/core22/1380 ro,nodev,relatime shared:13 - squashfs /dev/loop0 ro
`;

// Inside a container: the root is an overlay, /etc/hosts a file bind-mounted from the host's disk.
const CONTAINER = `500 420 0:60 / / rw,relatime - overlay overlay rw,lowerdir=/l
501 500 0:62 / /proc rw,nosuid - proc proc rw
502 500 254:1 /var/lib/docker/containers/ab/hosts /etc/hosts rw,relatime - ext4 /dev/vda1 rw
503 500 254:1 /srv/data /data rw,relatime - ext4 /dev/vda1 rw
`;

describe('disk discovery', () => {
  let dir: TempDir | null = null;
  let unmount: (() => void) | null = null;
  afterEach(() => {
    unmount?.();
    dir?.remove();
    unmount = null;
    dir = null;
  });

  it('shows each real filesystem once and no container, snap, kernel or RAM mounts', () => {
    expect(realFilesystems(parseMountInfo(HOST)).sort()).toEqual(['/', '/boot/efi', '/media/backup disk']);
  });

  it("keeps a container's own root and a volume from the host's disk once", () => {
    expect(realFilesystems(parseMountInfo(CONTAINER)).sort()).toEqual(['/', '/data']);
  });

  it('does not show a directory bind-mounted while Vigil runs as another disk', async () => {
    const before = await listMounts();
    dir = makeTempDir('vigil-mounts-');
    mkdirSync(dir.join('source'));
    mkdirSync(dir.join('target'));
    execFileSync('mount', ['--bind', dir.join('source'), dir.join('target')]);
    const target = dir.join('target');
    unmount = () => execFileSync('umount', ['-l', target]);
    expect(await listMounts()).toEqual(before);
  });
});
