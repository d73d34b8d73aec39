// In the runtime's style (runtime/.clang-format), not in LLVM's.
int first(const int* values, int count) {
  if (count == 0) return -1;
  return values[0] + values[count - 1] + values[count / 2] + values[count / 3] + values[count / 4];
}
