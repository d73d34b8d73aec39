int plain_c_function(int x) { return x + 1; }
