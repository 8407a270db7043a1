# Files over 1 MiB are refused before parsing.
head -c 1048577 /dev/zero | tr '\0' '#' > big.yaml
kam config check big.yaml
