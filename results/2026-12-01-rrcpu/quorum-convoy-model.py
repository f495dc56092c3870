# A stand-alone model of the shared CPU served in turn (NodeCpus), for quorum at 2 clients x 16, 3 replicas:
# replicas 0-2 and clients 3-4 visited in node order, at most 16 messages a visit, what arrived by the visit's start.
# Costs per message: the loaded calibration's fits (cycle cost argument 1, default 0); argument 2: replies that
# complete an op; argument 3: the clients' 16 ops each start at random times in [0, this many ns) (0: all at once,
# as the simulator's clients do on their first tick). Prints cycles/op per role and messages per visit: 0.188 / 0.188 and 16 everywhere, as the simulator
# with 0; 0.282 and 10.7 a visit with 20000 or more, as the real run.
#   python3 quorum-convoy-model.py 0 2 0; python3 quorum-convoy-model.py 0 2 20000
import collections, sys, random
random.seed(3)
R=[0,1,2]; C=[3,4]; N=5
cost={0:1154,1:1154,2:1154,3:1090,4:1090}
cyc=float(sys.argv[1]) if len(sys.argv)>1 else 0
quorum=int(sys.argv[2]) if len(sys.argv)>2 else 2
q={n:collections.deque() for n in range(N)}  # (arrival, payload)
t=0; pos=0
opid=0
replies=collections.Counter()
visits=collections.Counter(); handled=collections.Counter(); ops=0
def newop(c,now):
    global opid
    opid+=1
    for r in R: q[r].append((now,(c,opid))); q[r]=collections.deque(sorted(q[r],key=lambda x:x[0]))
for c in C:
    for i in range(16): newop(c,random.random()*float(sys.argv[3] if len(sys.argv)>3 else 0))
while t<5e7:
    # find next node with waiting messages arrived <= t
    found=None
    for k in range(N):
        n=(pos+k)%N
        if q[n] and q[n][0][0]<=t: found=n;break
    if found is None:
        t=min(x[0][0] for x in q.values() if x); continue
    n=found; pos=(n+1)%N
    take=[]
    while q[n] and len(take)<16 and q[n][0][0]<=t: take.append(q[n].popleft())
    visits[n]+=1; handled[n]+=len(take)
    t+= cyc
    for (a,p) in take:
        t+=cost[n]
        if n in R:
            c,o=p; q[c].append((t,o))
        else:
            replies[p]+=1
            if replies[p]==quorum:
                ops+=1; newop(n,t)
print('ops',ops,'replica cycles/op %.3f'%(sum(visits[r] for r in R)/ops),'client cycles/op %.3f'%(sum(visits[c] for c in C)/ops),
 'msgs per visit', {n:round(handled[n]/visits[n],1) for n in range(N)})
