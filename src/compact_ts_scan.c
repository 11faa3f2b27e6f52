/*-------------------------------------------------------------------------
 *
 * compact_ts_scan.c
 *	  "Chronos Unnest": a custom scan that replaces the function scan of
 *	  unnest(compact_ts) in FROM, decoding the blocks straight into the
 *	  executor's slots.
 *
 * A function scan materializes every row a set-returning function returns
 * into a tuplestore before the query sees the first one, and each row is
 * a heap tuple formed by the function and taken apart by the executor:
 * for a series of millions of points that costs three times the decoding.
 * This node instead evaluates unnest's argument (per outer row, for
 * LATERAL), walks the value one block at a time with the block reader and
 * stores each point as a virtual tuple (two Datums, no copy): nothing is
 * materialized, so memory stays at one block's buffers whatever the
 * series' length, and the first row comes out at once.
 *
 * Conditions on the timestamp column (ts < x, ts >= y, ts = z with x, y, z
 * constants or parameters) also pick the blocks to read: the value is then
 * read lazily (compact_ts_lazy.c), so a series stored out of line costs
 * its header, the index entries and the payloads of the blocks that may
 * hold points within the bounds, never the whole value.  The conditions
 * stay in the node's qual, so the rows are exactly those of the function
 * scan.
 *
 * The planner side is set_rel_pathlist_hook: for a base relation that is
 * a single call of chronos's unnest (no WITH ORDINALITY, no ROWS FROM with
 * several functions, no whole-row reference), it adds a cheaper custom
 * path.  unnest's support function (SupportRequestRows) loads the library
 * when a query using unnest is planned, so the hook is in place from the
 * first query of a session.  chronos.enable_unnest_scan = off turns it
 * off (the function scan is then used, as in 1.0).
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/compact_ts_scan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_language.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/nodeCustom.h"
#include "nodes/extensible.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/restrictinfo.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/ruleutils.h"
#include "utils/memutils.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"
#include "utils/syscache.h"

#define CHRONOS_NEED_EXPLAIN
#include "compat.h"
#include "compact_ts.h"
#include "compact_ts_lazy.h"
#include "memory.h"

PG_FUNCTION_INFO_V1(compact_ts_unnest_support);

/* chronos.enable_unnest_scan */
static bool chronos_enable_unnest_scan = true;

static set_rel_pathlist_hook_type prev_set_rel_pathlist_hook = NULL;

/* the C symbols of unnest(compact_ts) and slice(), as the install script names them */
#define UNNEST_SYMBOL "compact_ts_unnest"
#define SLICE_SYMBOL "compact_ts_slice"

/* which side of the timestamp a condition bounds (custom_private) */
#define BOUND_LO		1		/* ts >= x */
#define BOUND_LO_STRICT	2		/* ts > x */
#define BOUND_HI		3		/* ts <= x */
#define BOUND_HI_STRICT	4		/* ts < x */
#define BOUND_EQ		5		/* ts = x */
#define BOUND_RANGE		6		/* ts <@ x, a tstzrange: unnest(slice(v, x)) */

typedef struct UnnestScanState
{
	CustomScanState css;
	ExprState  *arg;			/* unnest's argument */
	List	   *bound_exprs;	/* ExprStates of the timestamp bounds */
	List	   *bound_kinds;	/* BOUND_* of each */
	MemoryContext value_cxt;	/* the current value and its reader */
	ChronosMemOp *op;
	/* no time bound: the block reader over the detoasted value */
	ChronosBlockReader reader;
	/* time bounds: the blocks [next_block, end_block) read lazily */
	bool		lazy;
	ChronosLazyValue lz;
	ChronosDecodeBufs bufs;
	uint32		next_block;
	uint32		end_block;
	int64		lo;				/* the bounds: points outside [lo, hi] are */
	int64		hi;				/* not returned (the qual would drop them) */
	/* the decoded block */
	const int64 *ts;
	const double *vals;
	uint32		npoints;
	uint32		pos;			/* its next point */
	bool		started;		/* the argument is evaluated for this scan */
	bool		empty;			/* NULL argument, or bounds that exclude all */
	/* for EXPLAIN ANALYZE, over all scans */
	uint64		values;			/* series opened */
	uint64		blocks;			/* their blocks */
	uint64		decoded;		/* blocks decoded */
	uint64		fetches;		/* TOAST fetches of bounded reads, done */
} UnnestScanState;

static void unnest_set_rel_pathlist(PlannerInfo *root, RelOptInfo *rel,
									Index rti, RangeTblEntry *rte);
static Plan *unnest_plan_path(PlannerInfo *root, RelOptInfo *rel,
							  CustomPath *best_path, List *tlist,
							  List *clauses, List *custom_plans);
static Node *unnest_create_state(CustomScan *cscan);
static void unnest_begin(CustomScanState *node, EState *estate, int eflags);
static TupleTableSlot *unnest_exec(CustomScanState *node);
static void unnest_end(CustomScanState *node);
static void unnest_rescan(CustomScanState *node);
static void unnest_explain(CustomScanState *node, List *ancestors,
						   ExplainState *es);

static const CustomPathMethods unnest_path_methods = {
	.CustomName = "ChronosUnnest",
	.PlanCustomPath = unnest_plan_path,
};

static const CustomScanMethods unnest_scan_methods = {
	.CustomName = "ChronosUnnest",
	.CreateCustomScanState = unnest_create_state,
};

static const CustomExecMethods unnest_exec_methods = {
	.CustomName = "ChronosUnnest",
	.BeginCustomScan = unnest_begin,
	.ExecCustomScan = unnest_exec,
	.EndCustomScan = unnest_end,
	.ReScanCustomScan = unnest_rescan,
	.ExplainCustomScan = unnest_explain,
};

/*
 * chronos_scan_init
 *		Define chronos.enable_unnest_scan and install the planner hook;
 *		called from _PG_init.
 */
void
chronos_scan_init(void)
{
	DefineCustomBoolVariable("chronos.enable_unnest_scan",
							 "Reads unnest(compact_ts) in FROM with chronos's own scan node.",
							 "Off: PostgreSQL's function scan, which materializes every "
							 "point of a series before the first row comes out.",
							 &chronos_enable_unnest_scan,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	RegisterCustomScanMethods(&unnest_scan_methods);
	prev_set_rel_pathlist_hook = set_rel_pathlist_hook;
	set_rel_pathlist_hook = unnest_set_rel_pathlist;
}

/* ----------------------------------------------------------------
 *		Planning
 * ----------------------------------------------------------------
 */

/*
 * Is funcid the C function symbol of chronos's library, with nargs
 * arguments, returning a set or not?  (By its symbol, since the SQL name
 * may be in any schema.)
 */
static bool
is_chronos_function(Oid funcid, const char *symbol, int nargs, bool retset)
{
	HeapTuple	tuple;
	bool		result = false;

	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(funcid));
	if (HeapTupleIsValid(tuple))
	{
		Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(tuple);

		if (proc->prolang == ClanguageId && proc->proretset == retset &&
			proc->pronargs == nargs)
		{
			bool		isnull;
			Datum		src = SysCacheGetAttr(PROCOID, tuple, Anum_pg_proc_prosrc,
											  &isnull);

			if (!isnull)
			{
				char	   *name = TextDatumGetCString(src);

				result = strcmp(name, symbol) == 0;
				pfree(name);
			}
		}
		ReleaseSysCache(tuple);
	}
	return result;
}

/*
 * If arg is slice(v, r), the call of chronos's slice, return it: the scan
 * then reads v's points in r itself, which are the slice's points exactly
 * (slice keeps them as they decode), without building the slice.
 */
static FuncExpr *
slice_call(Node *arg)
{
	if (IsA(arg, FuncExpr) && list_length(((FuncExpr *) arg)->args) == 2 &&
		is_chronos_function(((FuncExpr *) arg)->funcid, SLICE_SYMBOL, 2, false))
		return (FuncExpr *) arg;
	return NULL;
}

/* Are Vars of rel in node only its columns 1 and 2 (no whole row)? */
static bool
only_plain_columns(Node *node, Index relid)
{
	Bitmapset  *attrs = NULL;
	int			k = -1;

	pull_varattnos(node, relid, &attrs);
	while ((k = bms_next_member(attrs, k)) >= 0)
	{
		AttrNumber	attno = k + FirstLowInvalidHeapAttributeNumber;

		if (attno != 1 && attno != 2)
			return false;
	}
	return true;
}

/*
 * timestamp_bound
 *		If clause is "ts op x" or "x op ts" with op one of timestamptz's own
 *		comparisons and x free of this relation's columns and of volatile
 *		functions, return x and set *kind; else NULL.
 */
static Expr *
timestamp_bound(Expr *clause, Index relid, int *kind)
{
	OpExpr	   *op;
	Node	   *left,
			   *right,
			   *other;
	bool		ts_left;

	if (!IsA(clause, OpExpr) || list_length(((OpExpr *) clause)->args) != 2)
		return NULL;
	op = (OpExpr *) clause;
	left = linitial(op->args);
	right = lsecond(op->args);
	if (IsA(left, Var) && ((Var *) left)->varno == (int) relid &&
		((Var *) left)->varattno == 1 && ((Var *) left)->varlevelsup == 0)
		ts_left = true, other = right;
	else if (IsA(right, Var) && ((Var *) right)->varno == (int) relid &&
			 ((Var *) right)->varattno == 1 && ((Var *) right)->varlevelsup == 0)
		ts_left = false, other = left;
	else
		return NULL;
	if (exprType(other) != TIMESTAMPTZOID ||
		bms_is_member(relid, pull_varnos(NULL, other)) ||
		contain_volatile_functions(other))
		return NULL;
	switch (get_opcode(op->opno))
	{
		case F_TIMESTAMPTZ_EQ:
			*kind = BOUND_EQ;
			break;
		case F_TIMESTAMPTZ_LT:
			*kind = ts_left ? BOUND_HI_STRICT : BOUND_LO_STRICT;
			break;
		case F_TIMESTAMPTZ_LE:
			*kind = ts_left ? BOUND_HI : BOUND_LO;
			break;
		case F_TIMESTAMPTZ_GT:
			*kind = ts_left ? BOUND_LO_STRICT : BOUND_HI_STRICT;
			break;
		case F_TIMESTAMPTZ_GE:
			*kind = ts_left ? BOUND_LO : BOUND_HI;
			break;
		default:
			return NULL;
	}
	return (Expr *) other;
}

/*
 * unnest_set_rel_pathlist
 *		set_rel_pathlist_hook: offer the custom path for a function scan of
 *		chronos's unnest alone.
 */
static void
unnest_set_rel_pathlist(PlannerInfo *root, RelOptInfo *rel, Index rti,
						RangeTblEntry *rte)
{
	RangeTblFunction *rtfunc;
	FuncExpr   *fexpr;
	CustomPath *cpath;
	ListCell   *lc;
	QualCost	argcost,
				qualcost;
	double		rows;

	if (prev_set_rel_pathlist_hook)
		prev_set_rel_pathlist_hook(root, rel, rti, rte);

	if (!chronos_enable_unnest_scan || rte->rtekind != RTE_FUNCTION ||
		rel->reloptkind != RELOPT_BASEREL || rte->funcordinality ||
		list_length(rte->functions) != 1)
		return;
	rtfunc = linitial_node(RangeTblFunction, rte->functions);
	if (!IsA(rtfunc->funcexpr, FuncExpr) || rtfunc->funccolcount != 2)
		return;
	fexpr = (FuncExpr *) rtfunc->funcexpr;
	if (!fexpr->funcretset || list_length(fexpr->args) != 1 ||
		!is_chronos_function(fexpr->funcid, UNNEST_SYMBOL, 1, true))
		return;
	/* the node returns the two columns, never the whole row */
	if (!only_plain_columns((Node *) rel->reltarget->exprs, rel->relid))
		return;
	foreach(lc, rel->baserestrictinfo)
		if (!only_plain_columns((Node *) ((RestrictInfo *) lfirst(lc))->clause,
								rel->relid))
			return;

	cpath = makeNode(CustomPath);
	cpath->path.pathtype = T_CustomScan;
	cpath->path.parent = rel;
	cpath->path.pathtarget = rel->reltarget;
	cpath->path.param_info = get_baserel_parampathinfo(root, rel, rel->lateral_relids);
	cpath->path.parallel_aware = false;
	cpath->path.parallel_safe = rel->consider_parallel;
	cpath->path.parallel_workers = 0;
	cpath->path.pathkeys = NIL;
	rows = cpath->path.param_info ? cpath->path.param_info->ppi_rows : rel->rows;
	cpath->path.rows = rows;

	/*
	 * The cost: the argument once, then per point a tuple and the quals,
	 * and nothing for materializing, which is what the function scan
	 * charges for (and does).
	 */
	cost_qual_eval_node(&argcost, (Node *) fexpr->args, root);
	cost_qual_eval(&qualcost, rel->baserestrictinfo, root);
	if (cpath->path.param_info)
	{
		QualCost	joincost;

		cost_qual_eval(&joincost, cpath->path.param_info->ppi_clauses, root);
		qualcost.startup += joincost.startup;
		qualcost.per_tuple += joincost.per_tuple;
	}
	cpath->path.startup_cost = argcost.startup + argcost.per_tuple + qualcost.startup;
	cpath->path.total_cost = cpath->path.startup_cost +
		rel->tuples * (cpu_tuple_cost + qualcost.per_tuple) +
		cpath->path.pathtarget->cost.per_tuple * rows;
	cpath->flags = 0;
	cpath->custom_paths = NIL;
	cpath->custom_private = NIL;
	cpath->methods = &unnest_path_methods;
	add_path(rel, &cpath->path);
}

/*
 * unnest_plan_path
 *		The plan: the scan tuple is (ts, value), described by
 *		custom_scan_tlist; custom_exprs holds unnest's argument, then the
 *		timestamp bounds, whose kinds are custom_private.
 */
static Plan *
unnest_plan_path(PlannerInfo *root, RelOptInfo *rel, CustomPath *best_path,
				 List *tlist, List *clauses, List *custom_plans)
{
	CustomScan *cscan = makeNode(CustomScan);
	RangeTblEntry *rte = planner_rt_fetch(rel->relid, root);
	RangeTblFunction *rtfunc = linitial_node(RangeTblFunction, rte->functions);
	FuncExpr   *fexpr = (FuncExpr *) rtfunc->funcexpr;
	FuncExpr   *slice = slice_call((Node *) linitial(fexpr->args));
	List	   *exprs;
	List	   *kinds = NIL;
	ListCell   *lc;

	if (slice != NULL)
	{
		/* unnest(slice(v, r)): read v within r */
		exprs = list_make2(copyObject(linitial(slice->args)),
						   copyObject(lsecond(slice->args)));
		kinds = list_make1_int(BOUND_RANGE);
	}
	else
		exprs = list_make1(copyObject(linitial(fexpr->args)));

	cscan->scan.plan.targetlist = tlist;
	cscan->scan.plan.qual = extract_actual_clauses(clauses, false);
	cscan->scan.scanrelid = 0;	/* not a table: the tuple is custom_scan_tlist */
	cscan->flags = best_path->flags;
	cscan->custom_plans = NIL;
	cscan->custom_scan_tlist =
		list_make2(makeTargetEntry((Expr *) makeVar(rel->relid, 1, TIMESTAMPTZOID, -1,
													InvalidOid, 0),
								   1, pstrdup("ts"), false),
				   makeTargetEntry((Expr *) makeVar(rel->relid, 2, FLOAT8OID, -1,
													InvalidOid, 0),
								   2, pstrdup("value"), false));
	foreach(lc, clauses)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		int			kind;
		Expr	   *bound;

		if (ri->pseudoconstant)
			continue;
		bound = timestamp_bound(ri->clause, rel->relid, &kind);
		if (bound != NULL)
		{
			exprs = lappend(exprs, copyObject(bound));
			kinds = lappend_int(kinds, kind);
		}
	}
	cscan->custom_exprs = exprs;
	cscan->custom_private = kinds;
	cscan->methods = &unnest_scan_methods;
	return &cscan->scan.plan;
}

/*
 * compact_ts_unnest_support(internal) -> internal
 *
 * unnest's planner support.  Being called loads the library, and with it
 * the planner hook above, before the planner builds the paths of the
 * query that calls unnest.  SupportRequestRows: the length of a constant
 * series from its header; anything else keeps prorows.
 */
Datum
compact_ts_unnest_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);

	if (IsA(rawreq, SupportRequestRows))
	{
		SupportRequestRows *req = (SupportRequestRows *) rawreq;

		if (is_funcclause(req->node))
		{
			List	   *args = ((FuncExpr *) req->node)->args;

			if (list_length(args) == 1 && IsA(linitial(args), Const))
			{
				Const	   *c = (Const *) linitial(args);
				cts_header	h;

				if (c->constisnull)
					req->rows = 0;
				else
				{
					chronos_fetch_header(c->constvalue, &h);
					req->rows = (double) h.npoints;
				}
				PG_RETURN_POINTER(req);
			}
		}
	}
	PG_RETURN_POINTER(NULL);
}

/* ----------------------------------------------------------------
 *		Execution
 * ----------------------------------------------------------------
 */

static Node *
unnest_create_state(CustomScan *cscan)
{
	UnnestScanState *state = (UnnestScanState *) newNode(sizeof(UnnestScanState),
														 T_CustomScanState);

	state->css.methods = &unnest_exec_methods;
	/* the scan slot is virtual (the default; slotOps on 16+ may say so) */
	return (Node *) state;
}

static void
unnest_begin(CustomScanState *node, EState *estate, int eflags)
{
	UnnestScanState *state = (UnnestScanState *) node;
	CustomScan *cscan = (CustomScan *) node->ss.ps.plan;
	ListCell   *lc;

	state->arg = ExecInitExpr((Expr *) linitial(cscan->custom_exprs), &node->ss.ps);
	state->bound_exprs = NIL;
	for_each_from(lc, cscan->custom_exprs, 1)
		state->bound_exprs = lappend(state->bound_exprs,
									 ExecInitExpr((Expr *) lfirst(lc), &node->ss.ps));
	state->bound_kinds = cscan->custom_private;
	state->value_cxt = AllocSetContextCreate(estate->es_query_cxt,
											 "chronos unnest scan",
											 ALLOCSET_DEFAULT_SIZES);
	state->op = NULL;
	state->started = false;
}

/*
 * unnest_start
 *		Evaluate the argument and the bounds for this scan (per outer row
 *		when the node is rescanned), and open the value.
 */
static void
unnest_start(UnnestScanState *state)
{
	ExprContext *econtext = state->css.ss.ps.ps_ExprContext;
	MemoryContext old;
	Datum		datum;
	bool		isnull;
	int64		lo = PG_INT64_MIN,
				hi = PG_INT64_MAX;
	ListCell   *le,
			   *lk;
	CompactTs  *value;

	state->started = true;
	state->empty = false;
	state->pos = 0;

	/*
	 * Evaluated in the value's context, which lives until the next rescan:
	 * the per-tuple context is reset for every row the node returns.
	 */
	old = MemoryContextSwitchTo(state->value_cxt);
	datum = ExecEvalExpr(state->arg, econtext, &isnull);
	forboth(le, state->bound_exprs, lk, state->bound_kinds)
	{
		bool		bnull;
		Datum		bd = ExecEvalExpr((ExprState *) lfirst(le), econtext, &bnull);
		int64		b;

		if (bnull)
		{
			/* a comparison with NULL is never true; slice is strict */
			state->empty = true;
			continue;
		}
		if (lfirst_int(lk) == BOUND_RANGE)
		{
			RangeType  *r = DatumGetRangeTypeP(bd);
			int64		rlo,
						rhi;

			if (!chronos_range_bounds(lookup_type_cache(RangeTypeGetOid(r),
														TYPECACHE_RANGE_INFO),
									  r, &rlo, &rhi))
				state->empty = true;
			else
			{
				lo = Max(lo, rlo);
				hi = Min(hi, rhi);
			}
			continue;
		}
		b = DatumGetTimestampTz(bd);
		switch (lfirst_int(lk))
		{
			case BOUND_LO:
				lo = Max(lo, b);
				break;
			case BOUND_LO_STRICT:
				if (b == PG_INT64_MAX)
					state->empty = true;
				else
					lo = Max(lo, b + 1);
				break;
			case BOUND_HI:
				hi = Min(hi, b);
				break;
			case BOUND_HI_STRICT:
				if (b == PG_INT64_MIN)
					state->empty = true;
				else
					hi = Min(hi, b - 1);
				break;
			case BOUND_EQ:
				lo = Max(lo, b);
				hi = Min(hi, b);
				break;
		}
	}
	MemoryContextSwitchTo(old);
	if (isnull || lo > hi)
		state->empty = true;
	if (state->empty)
		return;

	state->op = chronos_op_begin(state->value_cxt, "chronos decode", CHRONOS_MEM_WORK);
	state->values++;
	state->npoints = 0;
	state->lo = lo;
	state->hi = hi;
	state->lazy = (lo != PG_INT64_MIN || hi != PG_INT64_MAX);
	if (state->lazy)
	{
		/*
		 * Bounded: fetch the header, the index entries and the payloads of
		 * the blocks that may hold points in [lo, hi] (compact_ts_lazy.c),
		 * not the whole value.
		 */
		memset(&state->bufs, 0, sizeof(state->bufs));
		chronos_lazy_open(&state->lz, state->op, datum);
		chronos_lazy_find(&state->lz, lo, hi, &state->next_block, &state->end_block);
		/* every block in the bounds is decoded: their payloads in windows */
		chronos_lazy_read_ahead(&state->lz, state->end_block);
		state->blocks += state->lz.h.nblocks;
		return;
	}
	value = chronos_detoast(state->op, datum);
	chronos_reader_init(&state->reader, state->op, CTS_PAYLOAD(value),
						CTS_PAYLOAD_LEN(value), true);
	state->blocks += state->reader.header.nblocks;
}

/*
 * unnest_next_block
 *		Decode the next block of the scan; false at the end.
 */
static bool
unnest_next_block(UnnestScanState *state)
{
	if (state->lazy)
	{
		/* only the block's points within [lo, hi], decoded up to hi */
		cts_block_info bi;
		uint32		j0,
					j1;

		if (state->next_block >= state->end_block)
			return false;
		chronos_lazy_block(&state->lz, state->next_block++, &bi);
		chronos_lazy_decode_range(&state->lz, &bi, state->lo, state->hi, &state->bufs,
								  &j0, &j1);
		state->ts = state->bufs.ts;
		state->vals = state->bufs.values;
		state->pos = j0;
		state->npoints = j1;
	}
	else
	{
		ChronosBlockReader *reader = &state->reader;

		if (!chronos_reader_next(reader))
			return false;
		state->ts = reader->ts;
		state->vals = reader->values;
		state->npoints = reader->npoints;
		state->pos = 0;
	}
	state->decoded++;
	return true;
}

/*
 * unnest_next
 *		ExecScan's access method: the next point as a virtual tuple.
 */
static TupleTableSlot *
unnest_next(ScanState *ss)
{
	UnnestScanState *state = (UnnestScanState *) ss;
	TupleTableSlot *slot = ss->ss_ScanTupleSlot;

	if (!state->started)
		unnest_start(state);
	ExecClearTuple(slot);
	if (state->empty)
		return slot;
	while (state->pos >= state->npoints)
	{
		if (!unnest_next_block(state))
		{
			state->empty = true;
			return slot;
		}
	}
	slot->tts_values[0] = TimestampTzGetDatum(state->ts[state->pos]);
	slot->tts_isnull[0] = false;
	slot->tts_values[1] = Float8GetDatum(state->vals[state->pos]);
	slot->tts_isnull[1] = false;
	state->pos++;
	return ExecStoreVirtualTuple(slot);
}

/* a virtual tuple has nothing to recheck: the qual is evaluated anyway */
static bool
unnest_recheck(ScanState *ss, TupleTableSlot *slot)
{
	return true;
}

static TupleTableSlot *
unnest_exec(CustomScanState *node)
{
	return ExecScan(&node->ss, unnest_next, unnest_recheck);
}

/* the value of the scan before: its op and everything in its context */
static void
unnest_release(UnnestScanState *state)
{
	if (state->op)
	{
		if (state->lazy)
			state->fetches += state->lz.fetches;
		chronos_op_end(state->op);
	}
	state->op = NULL;
	MemoryContextReset(state->value_cxt);
	state->started = false;
}

static void
unnest_rescan(CustomScanState *node)
{
	unnest_release((UnnestScanState *) node);
}

static void
unnest_end(CustomScanState *node)
{
	UnnestScanState *state = (UnnestScanState *) node;

	unnest_release(state);
	MemoryContextDelete(state->value_cxt);
}

/*
 * unnest_explain
 *		EXPLAIN: the series unnest reads and the conditions that choose its
 *		blocks; with ANALYZE, how many blocks were decoded of how many.
 */
static void
unnest_explain(CustomScanState *node, List *ancestors, ExplainState *es)
{
	UnnestScanState *state = (UnnestScanState *) node;
	CustomScan *cscan = (CustomScan *) node->ss.ps.plan;
	List	   *context;
	char	   *arg;

	context = set_deparse_context_plan(es->deparse_cxt, (Plan *) cscan, ancestors);
	arg = deparse_expression((Node *) linitial(cscan->custom_exprs), context,
							 es->verbose, false);
	ExplainPropertyText("Series", arg, es);
	if (list_member_int(cscan->custom_private, BOUND_RANGE))
	{
		/* unnest(slice(v, r)) reads v within r */
		char	   *range = deparse_expression((Node *) lsecond(cscan->custom_exprs),
											   context, es->verbose, false);

		ExplainPropertyText("Slice", range, es);
	}
	if (list_length(cscan->custom_exprs) > 1)
		ExplainPropertyInteger("Time Bounds", NULL, list_length(cscan->custom_exprs) - 1, es);
	if (es->analyze)
	{
		uint64		fetches = state->fetches +
			(state->op != NULL && state->lazy ? state->lz.fetches : 0);

		ExplainPropertyUInteger("Series Read", NULL, state->values, es);
		ExplainPropertyUInteger("Blocks Decoded", NULL, state->decoded, es);
		ExplainPropertyUInteger("Blocks Skipped", NULL, state->blocks - state->decoded, es);
		/* bounded reads of values stored out of line: the pieces fetched */
		if (fetches > 0)
			ExplainPropertyUInteger("TOAST Fetches", NULL, fetches, es);
	}
}
