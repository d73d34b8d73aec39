// PEER_TIDY_TEST_CRASH_ANALYSIS: with that variable set, peer-tidy's analysis
// of this file crashes (a test hook), and clangd must not notice.
int main() { return undeclared_name; }
