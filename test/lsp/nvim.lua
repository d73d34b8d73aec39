-- Neovim (0.7+) as the editor, headless, with `peer-tidy clangd` as its
-- clangd: opens a file with a race and a compile error, waits for clangd's
-- error and peer-tidy's warning, applies peer-tidy's code action and waits for
-- the warning to go while clangd's error stays. Writes a transcript to
-- $PEER_NVIM_OUT; exits non-zero on failure.
local out = assert(io.open(os.getenv('PEER_NVIM_OUT'), 'w'))
local function say(line)
  out:write(line .. '\n')
  out:flush()
end
local function finish(ok, why)
  if not ok then say('FAIL ' .. why) end
  out:close()
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end

local file = os.getenv('PEER_NVIM_FILE')
local cmd = { os.getenv('PEER_TIDY'), 'clangd', '--log=error' }
local client_id = vim.lsp.start_client({
  name = 'clangd',
  cmd = cmd,
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
if not client_id then return finish(false, 'could not start ' .. table.concat(cmd, ' ')) end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

local function by_source()
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    seen[d.source or '?'] = seen[d.source or '?'] or {}
    table.insert(seen[d.source or '?'], d)
  end
  return seen
end

local timeout = tonumber(os.getenv('PEER_NVIM_TIMEOUT') or '60000')
if not vim.wait(timeout, function()
  local s = by_source()
  return s['clang'] ~= nil and s['peer-tidy'] ~= nil
end, 50) then
  return finish(false, 'diagnostics did not arrive: ' .. vim.inspect(vim.diagnostic.get(buf)))
end
local s = by_source()
for _, src in ipairs({ 'clang', 'peer-tidy' }) do
  for _, d in ipairs(s[src]) do
    local code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or ''
    say(string.format('DIAG %s %s %d:%d %s', src, code, d.lnum, d.col, d.message))
  end
end

-- The code action, as a user would take it: cursor on the warning, pick
-- peer-tidy's fix from the menu.
local warning = s['peer-tidy'][1]
vim.api.nvim_win_set_cursor(0, { warning.lnum + 1, 0 })
local offered = {}
vim.ui.select = function(items, _, on_choice)
  local pick
  for _, item in ipairs(items) do
    local action = item[2] or item
    table.insert(offered, action.title)
    if not pick and action.title:match('^peer%-tidy') then pick = item end
  end
  on_choice(pick)
end
vim.lsp.buf.code_action()
local function lines() return vim.api.nvim_buf_get_lines(buf, 0, -1, false) end
local function fixed()
  local monitor, call
  for i, l in ipairs(lines()) do
    if l:match('rt%.monitor') then monitor = i end
    if l:match('rt%.call') then call = i end
  end
  return monitor and call and monitor < call
end
if not vim.wait(timeout, fixed, 50) then
  return finish(false, 'the code action did not fix the race; offered: ' .. vim.inspect(offered))
end
say('OFFERED ' .. table.concat(offered, ' | '))
for _, l in ipairs(lines()) do
  if l:match('rt%.') then say('LINE ' .. l) end
end

-- The edited buffer is analysed again: the warning goes, the error stays.
if not vim.wait(timeout, function()
  local now = by_source()
  return now['peer-tidy'] == nil and now['clang'] ~= nil
end, 50) then
  return finish(false, 'the warning did not go: ' .. vim.inspect(vim.diagnostic.get(buf)))
end
say('AFTER FIX: clang ' .. #by_source()['clang'] .. ', peer-tidy 0')

vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
finish(true)
