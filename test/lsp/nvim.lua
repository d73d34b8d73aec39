-- Neovim (0.7+) as the editor, headless, with `peer-tidy clangd` as its
-- clangd (or clangd and `peer-tidy lsp` side by side): opens a file with a race and a compile error, waits for clangd's
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

-- PEER_NVIM_MODE=proxy (default): `peer-tidy clangd` is the one C++ server.
-- PEER_NVIM_MODE=lsp: clangd itself ($PEER_CLANGD) plus `peer-tidy lsp` as a
-- second server for the same buffer.
local file = os.getenv('PEER_NVIM_FILE')
local peer_tidy = os.getenv('PEER_TIDY')
local servers
if os.getenv('PEER_NVIM_MODE') == 'lsp' then
  servers = {
    { name = 'clangd', cmd = { os.getenv('PEER_CLANGD'), '--log=error' } },
    { name = 'peer-tidy', cmd = { peer_tidy, 'lsp' } },
  }
else
  servers = { { name = 'clangd', cmd = { peer_tidy, 'clangd', '--log=error' } } }
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local clients = {}
for _, server in ipairs(servers) do
  local id = vim.lsp.start_client({
    name = server.name,
    cmd = server.cmd,
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  if not id then return finish(false, 'could not start ' .. table.concat(server.cmd, ' ')) end
  vim.lsp.buf_attach_client(buf, id)
  table.insert(clients, id)
end

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
-- (It goes at once, the edit having touched it; the analysis of the fixed
-- text, a moment later, must not bring it back.)
if vim.wait(3000, function() return by_source()['peer-tidy'] ~= nil end, 50) then
  return finish(false, 'the warning came back: ' .. vim.inspect(vim.diagnostic.get(buf)))
end
say('AFTER FIX: clang ' .. #by_source()['clang'] .. ', peer-tidy 0')

for _, id in ipairs(clients) do vim.lsp.stop_client(id) end
vim.wait(5000, function()
  for _, id in ipairs(clients) do
    if vim.lsp.get_client_by_id(id) ~= nil then return false end
  end
  return true
end, 50)
finish(true)
