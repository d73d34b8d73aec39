// Formatted by no style: every formatted directory rewrites it.
int   answer( ){return 42;}
