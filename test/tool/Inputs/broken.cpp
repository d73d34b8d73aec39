void broken() { this_does_not_compile(); }
