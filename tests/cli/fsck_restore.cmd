# backup, change, restore: the backup is verified first, the old data kept
kam init --admin tester >/dev/null
kam add staff name=王丽 login=wangli
kam backup "$PWD/bak" | sed "s|$PWD|.|"
kam add staff name=刘洋 login=liuyang
kam restore "$PWD/bak" | sed "s|$PWD|.|g; s|$KAM_DB|\$KAM_DB|g"
kam ls staff
test -f "$KAM_DB/data.mdb.before-restore" && echo "old data kept"
kam fsck
# not a backup
mkdir empty
kam restore "$PWD/empty" 2>&1 | sed "s|$PWD|.|g"
# refused while another process has the database open: it holds the shared
# lock that LMDB takes on byte 0 of lock.mdb for as long as the env is open
python3 -c 'import fcntl,os,sys,time
fd=os.open(sys.argv[1],os.O_RDWR); fcntl.lockf(fd,fcntl.LOCK_SH,1,0); open("locked","w").close(); time.sleep(5)' "$KAM_DB/lock.mdb" &
while [ ! -f locked ]; do sleep 0.05; done
kam restore "$PWD/bak" 2>&1 | sed -E "s|$PWD|.|g; s|$KAM_DB|\$KAM_DB|g; s/process [0-9]+/process PID/"
kill %1 2>/dev/null; wait 2>/dev/null
kam restore 2>&1
# only an admin may restore or repair (wangli is a viewer)
KAM_USER=wangli kam restore "$PWD/bak" 2>&1 | sed "s|$PWD|.|g"
KAM_USER=wangli kam fsck --repair
KAM_USER=wangli kam fsck
kam fsck --repair
