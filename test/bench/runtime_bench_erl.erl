%% The Erlang/OTP side of test/bench/runtime_vs_erlang.sh: gen_server:call
%% round trip, message throughput one to one and many to one, a token
%% around a ring, and spawn+exit, measured like runtime-bench does (same
%% shapes and counts; best of 5 runs each). Run with +S 1 or +S 2.
-module(runtime_bench_erl).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).

-define(CALLS, 100000).
-define(MESSAGES, 1000000).
-define(SENDERS, 8).
-define(RING_SIZE, 1000).
-define(RING_ROUNDS, 100).
-define(SPAWNS, 20000).
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

%% Many to one: 8 senders, 1 receiver, ?MESSAGES in all.
many_to_one() ->
    Me = self(),
    Sink = spawn(fun() -> sink(?MESSAGES, Me) end),
    Senders = [spawn(fun() -> receive start -> send_loop(Sink, ?MESSAGES div ?SENDERS) end end)
               || _ <- lists:seq(1, ?SENDERS)],
    [S ! start || S <- Senders],
    receive done -> ok end.

%% A ring of ?RING_SIZE processes (this one included); only the token's
%% ?RING_ROUNDS trips are timed.
ring_member(Next) ->
    receive
        {token, stop} = T -> Next ! T;
        T -> Next ! T, ring_member(Next)
    end.
ring_time() ->
    First = lists:foldl(fun(_, Next) -> spawn(fun() -> ring_member(Next) end) end,
                        self(), lists:seq(1, ?RING_SIZE - 1)),
    {Us, ok} = timer:tc(fun() -> ring_rounds(First, ?RING_ROUNDS) end),
    First ! {token, stop},
    receive {token, stop} -> ok end,
    Us.
ring_rounds(_First, 0) -> ok;
ring_rounds(First, N) -> First ! {token, go}, receive {token, go} -> ring_rounds(First, N - 1) end.

%% Spawn + exit: spawn a process that returns at once, monitor it, wait for
%% its 'DOWN' (the same operations as runtime-bench's).
spawn_loop(0) -> ok;
spawn_loop(N) ->
    Pid = spawn(fun() -> ok end),
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, process, Pid, _} -> spawn_loop(N - 1) end.

best(Fun) -> lists:min([element(1, timer:tc(Fun)) || _ <- lists:seq(1, ?RUNS)]).

main() ->
    {ok, Server} = gen_server:start(?MODULE, [], []),
    call_loop(Server, ?CALLS),  % warm up
    CallUs = best(fun() -> call_loop(Server, ?CALLS) end),
    FloodUs = best(fun flood/0),
    ManyUs = best(fun many_to_one/0),
    RingUs = lists:min([ring_time() || _ <- lists:seq(1, ?RUNS)]),
    SpawnUs = best(fun() -> spawn_loop(?SPAWNS) end),
    io:format("erlang_ns_per_call ~.1f~n", [CallUs * 1000 / ?CALLS]),
    io:format("erlang_msgs_per_s ~.1f~n", [?MESSAGES / (FloodUs / 1.0e6)]),
    io:format("erlang_many_to_one_msgs_per_s ~.1f~n", [?MESSAGES / (ManyUs / 1.0e6)]),
    io:format("erlang_ring_hops_per_s ~.1f~n", [?RING_SIZE * ?RING_ROUNDS / (RingUs / 1.0e6)]),
    io:format("erlang_spawns_per_s ~.1f~n", [?SPAWNS / (SpawnUs / 1.0e6)]),
    io:format("erlang_schedulers ~p~n", [erlang:system_info(schedulers_online)]),
    io:format("erlang_otp ~s~n", [erlang:system_info(otp_release)]),
    halt().
