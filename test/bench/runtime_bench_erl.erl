%% The Erlang/OTP side of test/bench/runtime_vs_erlang.sh: gen_server:call
%% round trip and message throughput, measured like runtime-bench does.
-module(runtime_bench_erl).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).

-define(CALLS, 100000).
-define(MESSAGES, 1000000).
-define(RUNS, 5).

init([]) -> {ok, nostate}.
handle_call(Request, _From, State) -> {reply, Request, State}.
handle_cast(_Request, State) -> {noreply, State}.

call_loop(_Server, 0) -> ok;
call_loop(Server, N) -> {echo, N} = gen_server:call(Server, {echo, N}), call_loop(Server, N - 1).

sink(0, ReportTo) -> ReportTo ! done;
sink(N, ReportTo) -> receive count -> sink(N - 1, ReportTo) end.

send_loop(_Pid, 0) -> ok;
send_loop(Pid, N) -> Pid ! count, send_loop(Pid, N - 1).

flood() ->
    Me = self(),
    Sink = spawn(fun() -> sink(?MESSAGES, Me) end),
    send_loop(Sink, ?MESSAGES),
    receive done -> ok end.

best(Fun) -> lists:min([element(1, timer:tc(Fun)) || _ <- lists:seq(1, ?RUNS)]).

main() ->
    {ok, Server} = gen_server:start(?MODULE, [], []),
    call_loop(Server, ?CALLS),  % warm up
    CallUs = best(fun() -> call_loop(Server, ?CALLS) end),
    FloodUs = best(fun flood/0),
    io:format("erlang_ns_per_call ~.1f~n", [CallUs * 1000 / ?CALLS]),
    io:format("erlang_msgs_per_s ~.1f~n", [?MESSAGES / (FloodUs / 1.0e6)]),
    io:format("erlang_schedulers ~p~n", [erlang:system_info(schedulers_online)]),
    io:format("erlang_otp ~s~n", [erlang:system_info(otp_release)]),
    halt().
