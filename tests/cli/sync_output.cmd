# -o to a pipe or device writes in place; -o to a file renames a complete
# FILE.tmp (a rename over /dev/null once replaced the device)
kam add account name=华信 >/dev/null
mkfifo pipe
timeout 10 cat pipe > got &
kam export --changes --since 0 -o pipe 2>/dev/null; echo "pipe -> $?"
wait
[ -p pipe ] && echo "pipe is still a pipe"
head -c 40 got; echo
kam export --changes --since 0 -o file.jsonl 2>/dev/null; echo "file -> $?"
ls file.jsonl*; [ -f file.jsonl ] && [ ! -p file.jsonl ] && echo "file is a regular file"
