// PEER_TIDY_TEST_CRASH_ANALYSIS, PEER_TIDY_TEST_GROW_ANALYSIS, PEER_TIDY_TEST_HANG_ANALYSIS:
// with one of those variables set, peer-tidy's analysis of this file crashes,
// grows its heap without end, or hangs (test hooks), and clangd must not notice.
int main() { return undeclared_name; }
