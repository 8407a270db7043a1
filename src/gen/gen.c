/* kam gen: deterministic demo and benchmark data.
 *
 * Two phases. The plan phase draws, in memory, what must be known before any
 * record is written: the staff, and every account's place in its hierarchy,
 * size (a lognormal draw: about 20% of accounts carry 80% of the revenue),
 * key-account flags (which need the revenue percentile) and the number of
 * contacts, opportunities and activities it gets (so that the totals of a
 * scale are exact). The emit phase then walks the accounts in order and
 * streams each account's records: the account, its three years, org chart,
 * links, influence map, opportunity list, team, activities, complaints and
 * plan. Ids are assigned here, 1.. per entity, so references are final. */
#include "kam/gen.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kam/err.h"
#include "kam/util.h"

/* Provinces and their cities with telephone area codes. Municipalities
 * (北京, 上海 ...) are their own single city. */
struct gen_province {
	const char *name;
	int municipality;
	int weight; /* share of accounts */
	const char *cities[6];
	const char *area[6];
};

static const struct gen_province gen_provinces[] = {
    {"广东", 0, 14, {"广州", "深圳", "东莞", "佛山", "珠海"}, {"020", "0755", "0769", "0757", "0756"}},
    {"江苏", 0, 12, {"南京", "苏州", "无锡", "常州", "南通"}, {"025", "0512", "0510", "0519", "0513"}},
    {"浙江", 0, 10, {"杭州", "宁波", "温州", "绍兴"}, {"0571", "0574", "0577", "0575"}},
    {"山东", 0, 8, {"济南", "青岛", "烟台", "潍坊"}, {"0531", "0532", "0535", "0536"}},
    {"北京", 1, 9, {"北京"}, {"010"}},
    {"上海", 1, 9, {"上海"}, {"021"}},
    {"四川", 0, 6, {"成都", "绵阳", "宜宾"}, {"028", "0816", "0831"}},
    {"湖北", 0, 6, {"武汉", "宜昌", "襄阳"}, {"027", "0717", "0710"}},
    {"河南", 0, 5, {"郑州", "洛阳", "南阳"}, {"0371", "0379", "0377"}},
    {"福建", 0, 5, {"福州", "厦门", "泉州"}, {"0591", "0592", "0595"}},
    {"湖南", 0, 4, {"长沙", "株洲", "岳阳"}, {"0731", "0731", "0730"}},
    {"河北", 0, 3, {"石家庄", "唐山", "保定"}, {"0311", "0315", "0312"}},
    {"陕西", 0, 3, {"西安", "宝鸡"}, {"029", "0917"}},
    {"辽宁", 0, 3, {"沈阳", "大连"}, {"024", "0411"}},
    {"安徽", 0, 3, {"合肥", "芜湖"}, {"0551", "0553"}},
    {"天津", 1, 2, {"天津"}, {"022"}},
    {"重庆", 1, 2, {"重庆"}, {"023"}},
};
static const int gen_nprovinces = (int)(sizeof gen_provinces / sizeof gen_provinces[0]);

struct gen_word {
	const char *zh;
	const char *py; /* pinyin or ASCII form for logins, e-mails and domains */
};

/* Company brands are two syllables: gen_brand1[i] + gen_brand2[j]; brand 0 is 华信. */
static const struct gen_word gen_brand1[] = {
    {"华", "hua"},  {"联", "lian"}, {"远", "yuan"},  {"恒", "heng"},  {"中", "zhong"}, {"天", "tian"}, {"新", "xin"},
    {"东", "dong"}, {"海", "hai"},  {"长", "chang"}, {"金", "jin"},   {"鸿", "hong"},  {"瑞", "rui"},  {"安", "an"},
    {"泰", "tai"},  {"博", "bo"},   {"宏", "hong"},  {"广", "guang"}, {"嘉", "jia"},   {"明", "ming"},
};
static const struct gen_word gen_brand2[] = {
    {"信", "xin"},  {"通", "tong"}, {"创", "chuang"}, {"达", "da"},   {"盛", "sheng"}, {"科", "ke"},   {"航", "hang"},
    {"源", "yuan"}, {"合", "he"},   {"运", "yun"},    {"兴", "xing"}, {"融", "rong"},  {"网", "wang"}, {"康", "kang"},
    {"辰", "chen"}, {"汇", "hui"},  {"邦", "bang"},   {"泽", "ze"},   {"润", "run"},   {"宇", "yu"},
};
static const int gen_nbrand1 = (int)(sizeof gen_brand1 / sizeof gen_brand1[0]);
static const int gen_nbrand2 = (int)(sizeof gen_brand2 / sizeof gen_brand2[0]);

static const struct gen_word gen_surnames[] = {
    {"王", "wang"},  {"李", "li"},  {"张", "zhang"}, {"刘", "liu"},   {"陈", "chen"}, {"杨", "yang"}, {"黄", "huang"},
    {"赵", "zhao"},  {"吴", "wu"},  {"周", "zhou"},  {"徐", "xu"},    {"孙", "sun"},  {"马", "ma"},   {"朱", "zhu"},
    {"胡", "hu"},    {"郭", "guo"}, {"何", "he"},    {"高", "gao"},   {"林", "lin"},  {"罗", "luo"},  {"郑", "zheng"},
    {"梁", "liang"}, {"谢", "xie"}, {"宋", "song"},  {"唐", "tang"},  {"许", "xu"},   {"韩", "han"},  {"冯", "feng"},
    {"邓", "deng"},  {"曹", "cao"}, {"彭", "peng"},  {"曾", "zeng"},  {"肖", "xiao"}, {"田", "tian"}, {"董", "dong"},
    {"袁", "yuan"},  {"潘", "pan"}, {"于", "yu"},    {"蒋", "jiang"}, {"蔡", "cai"},
};
static const int gen_nsurnames = (int)(sizeof gen_surnames / sizeof gen_surnames[0]);

static const struct gen_word gen_given[] = {
    {"丽", "li"},        {"洋", "yang"},      {"敏", "min"},        {"磊", "lei"},       {"婷", "ting"},
    {"伟", "wei"},       {"芳", "fang"},      {"娜", "na"},         {"静", "jing"},      {"强", "qiang"},
    {"军", "jun"},       {"杰", "jie"},       {"涛", "tao"},        {"明", "ming"},      {"超", "chao"},
    {"勇", "yong"},      {"艳", "yan"},       {"刚", "gang"},       {"平", "ping"},      {"辉", "hui"},
    {"建国", "jianguo"}, {"建华", "jianhua"}, {"志强", "zhiqiang"}, {"海燕", "haiyan"},  {"晓东", "xiaodong"},
    {"文博", "wenbo"},   {"雪梅", "xuemei"},  {"国平", "guoping"},  {"子涵", "zihan"},   {"宇航", "yuhang"},
    {"秀英", "xiuying"}, {"桂英", "guiying"}, {"玉兰", "yulan"},    {"俊杰", "junjie"},  {"思远", "siyuan"},
    {"佳怡", "jiayi"},   {"浩然", "haoran"},  {"欣怡", "xinyi"},    {"志明", "zhiming"}, {"春华", "chunhua"},
    {"立新", "lixin"},   {"红梅", "hongmei"}, {"永刚", "yonggang"}, {"晓燕", "xiaoyan"}, {"德胜", "desheng"},
    {"振华", "zhenhua"}, {"文静", "wenjing"}, {"美玲", "meiling"},  {"建军", "jianjun"}, {"丹", "dan"},
};
static const int gen_ngiven = (int)(sizeof gen_given / sizeof gen_given[0]);

static const char *const gen_latin_first[] = {"Alice",  "John",   "Maria", "David", "Emma", "Michael",
					      "Sophie", "James",  "Laura", "Peter", "Anna", "Thomas",
					      "Olivia", "Daniel", "Sarah", "Robert"};
static const char *const gen_latin_last[] = {"Smith",  "O'Brien", "Walker",   "Johnson", "Brown",
					     "Garcia", "Martin",  "Rossi",    "Dubois",  "Schmidt",
					     "Taylor", "Wilson",  "Anderson", "Lee",     "Moreau"};
static const int gen_nlatin_first = (int)(sizeof gen_latin_first / sizeof gen_latin_first[0]);
static const int gen_nlatin_last = (int)(sizeof gen_latin_last / sizeof gen_latin_last[0]);

static const char *const gen_latin_brands[] = {
    "Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware",   "Adatum",      "Woodgrove", "Wingtip",
    "Proseware", "Lucerne", "Alpine",   "Coho",     "Humongous", "Blue Yonder", "Trey",      "Wide World"};
static const char *const gen_latin_words[] = {"Grid",     "Bank",   "Energy",   "Logistics", "Systems",      "Motors",
					      "Networks", "Health", "Airlines", "Steel",     "Semiconductor"};
/* Industry of each Latin word (index into kam_enum_industry). */
static const char *const gen_latin_word_industry[] = {"power",     "bank",          "energy",       "transport",
						      "internet",  "manufacturing", "carrier",      "healthcare",
						      "transport", "manufacturing", "manufacturing"};
static const char *const gen_latin_suffixes[] = {"Corp.", "Ltd.", "Inc.", "Co., Ltd.", "Group", "GmbH", "S.A."};
static const int gen_nlatin_brands = (int)(sizeof gen_latin_brands / sizeof gen_latin_brands[0]);
static const int gen_nlatin_words = (int)(sizeof gen_latin_words / sizeof gen_latin_words[0]);
static const int gen_nlatin_suffixes = (int)(sizeof gen_latin_suffixes / sizeof gen_latin_suffixes[0]);

static const char *const gen_fullwidth_words[] = {"智能制造", "电子科技", "精密机械", "新材料", "生物医药"};
static const int gen_nfullwidth_words = (int)(sizeof gen_fullwidth_words / sizeof gen_fullwidth_words[0]);

static const char *const gen_mfg_words[] = {"汽车", "电子", "重工", "钢铁", "化工", "家电", "装备"};
static const int gen_nmfg_words = (int)(sizeof gen_mfg_words / sizeof gen_mfg_words[0]);

/* Contact titles by org-chart level; dept[i] is the department of title[i].
 * Level 1 depends on the industry (see gen.c). */
static const char *const gen_title2[] = {"CIO", "副总经理", "财务总监", "采购部经理", "总工程师", "信息中心主任"};
static const char *const gen_dept2[] = {"信息技术部", "总经理办公室", "财务部", "采购部", "技术部", "信息中心"};
static const char *const gen_title3[] = {"网络部主任", "IT规划处处长", "运维部经理", "数据中心主任",
					 "安全部经理", "项目经理",     "采购专员",   "市场部经理"};
static const char *const gen_dept3[] = {"网络部",     "IT规划处",   "运维部", "数据中心",
					"信息安全部", "项目管理部", "采购部", "市场部"};
static const char *const gen_title4[] = {"高级工程师", "工程师", "系统管理员", "业务主管"};
static const int gen_ntitle2 = (int)(sizeof gen_title2 / sizeof gen_title2[0]);
static const int gen_ntitle3 = (int)(sizeof gen_title3 / sizeof gen_title3[0]);
static const int gen_ntitle4 = (int)(sizeof gen_title4 / sizeof gen_title4[0]);

static const char *const gen_title2_en[] = {"CIO", "VP Operations", "CFO", "Procurement Manager", "CTO", "IT Director"};
static const char *const gen_dept2_en[] = {"IT", "Executive Office", "Finance", "Procurement", "Engineering", "IT"};
static const char *const gen_title3_en[] = {"Network Director",
					    "IT Planning Lead",
					    "Operations Manager",
					    "Data Center Manager",
					    "Security Manager",
					    "Project Manager",
					    "Buyer",
					    "Marketing Manager"};
static const char *const gen_dept3_en[] = {"Network",  "IT Planning", "Operations",  "Data Center",
					   "Security", "PMO",         "Procurement", "Marketing"};
static const char *const gen_title4_en[] = {"Senior Engineer", "Engineer", "System Administrator", "Team Lead"};

/* Offerings (product lines) with the customer budget line they come from;
 * strategic marks our strategic products. */
struct gen_offering {
	const char *name;
	const char *budget_line;
	int strategic;
};
static const struct gen_offering gen_offerings[] = {
    {"核心网扩容", "网络建设投资", 0}, {"数据中心节能改造", "节能改造专项", 1}, {"5G 室分", "无线网络建设", 1},
    {"运维外包续约", "运维费用", 0},   {"云平台建设", "信息化建设", 1},         {"网络安全等保", "安全合规", 0},
    {"SD-WAN 组网", "网络运营", 0},    {"视频会议系统", "办公IT", 0},           {"智能电网监测", "生产运营", 1},
    {"数据中台", "数字化转型", 1},     {"光传输网升级", "网络建设投资", 0},     {"灾备中心建设", "信息化建设", 0},
    {"边缘计算节点", "数字化转型", 1}, {"智能客服平台", "客户服务", 0},         {"物联网平台", "数字化转型", 1},
    {"办公终端更新", "办公IT", 0},
};
static const int gen_nofferings = (int)(sizeof gen_offerings / sizeof gen_offerings[0]);

static const char *const gen_competitors[] = {"华为",   "中兴",   "新华三", "烽火", "浪潮",
					      "爱立信", "诺基亚", "思科",   "曙光", "锐捷"};
static const int gen_ncompetitors = (int)(sizeof gen_competitors / sizeof gen_competitors[0]);

static const char *const gen_lost_reasons[] = {"价格高于竞争对手", "技术方案不满足要求", "客户预算取消",
					       "决策层关系不到位", "竞争对手低价抢单",   "交付周期太长"};
static const int gen_nlost_reasons = (int)(sizeof gen_lost_reasons / sizeof gen_lost_reasons[0]);

static const char *const gen_buying_units[] = {"信息技术部", "网络部", "运维部", "数据中心", "采购中心", "生产运营部"};
static const int gen_nbuying_units = (int)(sizeof gen_buying_units / sizeof gen_buying_units[0]);

/* Activity titles, parallel to kam_enum_activity_type. */
static const char *const gen_activity_labels[] = {"公司参观", "展会", "样板点参观", "高层拜访", "技术交流", "日常拜访",
						  "私下拜访", "宴请", "业务回顾",   "投诉处理", "电话沟通", "邮件沟通"};

static const char *const gen_outcomes[] = {
    "客户认可方案, 约定下次交流", "了解到明年预算安排", "需补充技术材料",  "客户关注价格, 需要商务支持", "关系推进顺利",
    "对手也在接触, 需跟进",       "确认了决策流程",     "客户提出新的需求"};
static const int gen_noutcomes = (int)(sizeof gen_outcomes / sizeof gen_outcomes[0]);

static const char *const gen_private_notes[] = {"喜欢钓鱼", "孩子明年高考",       "爱好羽毛球",
						"不喝酒",   "喜欢喝茶, 偏爱普洱", "周末常去爬山"};
static const int gen_nprivate_notes = (int)(sizeof gen_private_notes / sizeof gen_private_notes[0]);

static const char *const gen_complaint_notes[] = {"割接后业务中断两小时", "备件到货延迟",       "工程师响应慢",
						  "发票开具错误",         "系统升级后性能下降", "现场施工扰民"};
static const int gen_ncomplaint_notes = (int)(sizeof gen_complaint_notes / sizeof gen_complaint_notes[0]);

static const char *const gen_plan_goals[] = {"提升客户占有率",   "巩固核心网份额", "拓展数字化转型业务",
					     "建立高层互访机制", "提高满意度",     "突破新的业务部门"};
static const char *const gen_plan_actions[] = {"组织高层拜访", "举办技术交流会", "邀请参观样板点", "完成方案汇报",
					       "梳理决策链",   "季度业务回顾",   "建立AB角覆盖",   "推动试点项目"};
static const int gen_nplan_goals = (int)(sizeof gen_plan_goals / sizeof gen_plan_goals[0]);
static const int gen_nplan_actions = (int)(sizeof gen_plan_actions / sizeof gen_plan_actions[0]);

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------------------------------------ */
/* PRNG: xoshiro256** seeded through splitmix64. Our own, never rand(): the
 * data must be the same for a seed on every machine and libc. */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* 0 .. n-1 (multiply-shift; the bias is far below what demo data cares about). */
static int rng_below(struct rng *r, int n)
{
	return (int)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

static double rng_normal(struct rng *r)
{
	double u = 1.0 - rng_unit(r), v = rng_unit(r);
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Index drawn with the given integer weights. */
static int rng_pick(struct rng *r, const int *w, int n)
{
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum += w[i];
	int x = rng_below(r, sum);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* ------------------------------------------------------------------------ */
/* Plan phase */

enum {
	IND_CARRIER,
	IND_BANK,
	IND_INSURANCE,
	IND_POWER,
	IND_ENERGY,
	IND_MANUFACTURING,
	IND_GOVERNMENT,
	IND_TRANSPORT,
	IND_HEALTHCARE,
	IND_EDUCATION,
	IND_INTERNET,
	IND_OTHER
};

/* Account kinds: where it sits in its family and how it is named. */
enum { K_GROUP, K_PROVINCE, K_BRANCH, K_HQ2, K_BRANCH2, K_SINGLE, K_LATIN, K_FULLWIDTH };

enum { TR_GROW, TR_STABLE, TR_DECLINE, TR_STOPPED, TR_NEW };

enum { FN_AM, FN_SOLUTION, FN_PROJECT, FN_DELIVERY, FN_SERVICE, FN_RND, FN_FINANCE, FN_EXEC, FN__N };

struct gacct {
	double rev;      /* 2026 revenue in CNY before the trend: the Pareto draw */
	uint32_t parent; /* account id or 0 */
	uint32_t kam;    /* staff id */
	uint32_t ncontacts, nopps, nacts;
	uint32_t first_contact; /* id of its first (top) contact, set while emitting */
	uint16_t brand;
	uint8_t kind, depth, industry, province, city, word;
	uint8_t trend, key, strategic, procurement, position, lifecycle;
};

struct gstaff {
	uint8_t function, province, left;
};

struct idlist {
	uint32_t *v;
	int n, cap;
};

static void idlist_add(struct idlist *l, uint32_t id)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = id;
}

/* Per-account scratch of the emit phase: what later records refer to. */
struct actx {
	int nc;
	uint64_t *cid;
	uint8_t *clevel, *ckey, *cstale;
	const char **cdept;
	char (*cname)[48];
	int no;
	uint64_t *oid;
	int64_t *odecision;
	uint8_t *oopen, *ooffer;
	int cap_c, cap_o;
};

struct gen {
	struct rng plan, r;
	const struct gen_size *size;
	gen_emit_fn emit;
	void *arg;
	struct gen_stats st;
	uint64_t next[ENT__COUNT];
	struct gacct *acc; /* acc[id - 1] */
	uint64_t nacc;
	struct gstaff *staff; /* staff[id - 1] */
	int nstaff;
	struct idlist by_function[FN__N];
	struct idlist am_by_province[32];
	struct idlist active_am;
	struct actx cx;
};

static const int industry_weights[] = {14, 12, 6, 10, 6, 18, 10, 6, 6, 4, 5, 3};

static double lognormal(struct rng *r, double sigma)
{
	return exp(sigma * rng_normal(r));
}

static void plan_staff_member(struct gen *g, int i)
{
	static const int fn_weights[FN__N] = {45, 14, 10, 10, 10, 5, 3, 3};
	struct gstaff *s = &g->staff[i];
	int id = i + 1;
	if (id <= 6) /* the named leads of the demo: 王丽, 刘洋, 陈敏, 赵磊, 周婷, John Smith */
		s->function = FN_AM;
	else if (id <= 8)
		s->function = FN_EXEC;
	else if (id == g->nstaff && id > 12)
		s->function = FN_AM; /* left the company, still owns contacts */
	else
		s->function = (uint8_t)rng_pick(&g->plan, fn_weights, FN__N);
	s->province = (uint8_t)(id == 1 ? 0 : rng_below(&g->plan, gen_nprovinces));
	/* A few have left the company but still own contacts (check 4). */
	s->left = id > 12 && (id == g->nstaff || rng_chance(&g->plan, 0.03));
	idlist_add(&g->by_function[s->function], (uint32_t)id);
	if (s->function == FN_AM) {
		idlist_add(&g->am_by_province[s->province], (uint32_t)id);
		if (!s->left)
			idlist_add(&g->active_am, (uint32_t)id);
	}
}

static uint32_t pick_from(struct rng *r, const struct idlist *l)
{
	return l->v[rng_below(r, l->n)];
}

/* A staff member of the account manager function, preferably from the
 * province; left people only when allow_left. */
static uint32_t pick_am(struct gen *g, struct rng *r, int province, int allow_left)
{
	const struct idlist *l = &g->am_by_province[province];
	if (l->n && rng_chance(r, 0.8)) {
		uint32_t id = pick_from(r, l);
		if (!g->staff[id - 1].left || (allow_left && rng_chance(r, 0.25)))
			return id;
	}
	return pick_from(r, &g->active_am);
}

static void plan_node(struct gen *g, int kind, int depth, uint32_t parent, int industry, int brand, int prov, int city,
		      int word, double base)
{
	struct gacct *a = &g->acc[g->nacc++];
	struct rng *r = &g->plan;
	static const double depth_factor[] = {1.0, 0.35, 0.1};
	memset(a, 0, sizeof *a);
	a->kind = (uint8_t)kind;
	a->depth = (uint8_t)depth;
	a->parent = parent;
	a->industry = (uint8_t)industry;
	a->brand = (uint16_t)brand;
	a->province = (uint8_t)prov;
	a->city = (uint8_t)city;
	a->word = (uint8_t)word;
	a->rev = base * depth_factor[depth - 1] * lognormal(r, 0.5);
	static const int trend_w[] = {40, 30, 20, 5, 5};
	a->trend = (uint8_t)rng_pick(r, trend_w, NELEM(trend_w));
	if (g->nacc <= 4) /* the demo's flagship family buys and grows */
		a->trend = TR_GROW;
	if (parent && g->acc[parent - 1].procurement == 0)
		a->procurement = rng_chance(r, 0.85) ? 0 : 2; /* a centrally-buying group's branches */
	else if (depth == 1 && (kind == K_GROUP || kind == K_HQ2))
		a->procurement = (uint8_t)(rng_chance(r, 0.7) ? 0 : rng_chance(r, 0.5) ? 1 : 2);
	else
		a->procurement = (uint8_t)rng_below(r, 3);
	static const int pos_w[] = {20, 30, 35, 15};
	a->position = (uint8_t)rng_pick(r, pos_w, 4);
	if (depth == 1 && kind == K_GROUP && a->position > 1)
		a->position = (uint8_t)rng_below(r, 2); /* groups lead their industry */
	a->lifecycle = (uint8_t)(rng_chance(r, 0.4) ? 0 : rng_chance(r, 0.6) ? 1 : 2);
	/* One KAM for a group and its provincial companies; branches often have their own. */
	if (parent && depth == 2)
		a->kam = g->acc[parent - 1].kam;
	else if (parent && rng_chance(r, 0.5))
		a->kam = g->acc[parent - 1].kam;
	else if (g->nacc == 1) {
		/* The flagship of the demo screens: a centrally-buying industry
		 * leader managed by 王丽. */
		a->kam = 1;
		a->procurement = 0;
		a->position = 0;
		a->lifecycle = 1;
	} else
		a->kam = pick_am(g, r, prov, 0);
}

static int full(const struct gen *g)
{
	return g->nacc >= g->size->accounts;
}

static int pick_province(struct rng *r)
{
	int w[64];
	for (int i = 0; i < gen_nprovinces; i++)
		w[i] = gen_provinces[i].weight;
	return rng_pick(r, w, gen_nprovinces);
}

static int ncities(int prov)
{
	int n = 0;
	while (n < 6 && gen_provinces[prov].cities[n])
		n++;
	return n;
}

/* group -> provincial companies -> city branches, depth-first, so that any
 * prefix is a valid tree (the last family is cut at the account total). */
static void plan_group3(struct gen *g, int industry, int brand, double base, int first)
{
	struct rng *r = &g->plan;
	int p0 = first ? 0 : pick_province(r);
	plan_node(g, K_GROUP, 1, 0, industry, brand, p0, 0, 0, base);
	uint32_t gid = (uint32_t)g->nacc;
	int np = rng_range(r, 2, 5);
	int used[64] = {0};
	for (int k = 0; k < np && !full(g); k++) {
		int p = k == 0 ? p0 : pick_province(r);
		if (used[p])
			continue;
		used[p] = 1;
		plan_node(g, K_PROVINCE, 2, gid, industry, brand, p, 0, 0, base);
		uint32_t pid = (uint32_t)g->nacc;
		int nc = ncities(p), nb = rng_range(r, 1, nc < 3 ? nc : 3);
		int c0 = first ? 0 : rng_below(r, nc);
		for (int c = 0; c < nb && !full(g); c++)
			plan_node(g, K_BRANCH, 3, pid, industry, brand, p, (c0 + c) % nc, 0, base);
	}
}

/* headquarters -> city branches (banks, logistics, manufacturers). */
static void plan_group2(struct gen *g, int industry, int brand, double base)
{
	struct rng *r = &g->plan;
	int p0 = pick_province(r), word = rng_below(r, gen_nmfg_words);
	plan_node(g, K_HQ2, 1, 0, industry, brand, p0, 0, word, base);
	uint32_t hid = (uint32_t)g->nacc;
	int nb = rng_range(r, 2, 6);
	for (int k = 0; k < nb && !full(g); k++) {
		int p = pick_province(r);
		plan_node(g, K_BRANCH2, 2, hid, industry, brand, p, rng_below(r, ncities(p)), word, base);
	}
}

static void plan_family(struct gen *g, int first)
{
	struct rng *r = &g->plan;
	int brand = first ? 0 : rng_below(r, gen_nbrand1 * gen_nbrand2);
	/* The family's size: lognormal, median 3M CNY a year. sigma 1.4 plus the
	 * per-node spread gives the Pareto 80/20 (checked by the unit test). */
	double base = first ? 3e6 * 20 : 3e6 * lognormal(r, 1.4);
	int industry = first ? IND_CARRIER : rng_pick(r, industry_weights, NELEM(industry_weights));
	double u = rng_unit(r);
	if (!first && u < 0.04) {
		int p = pick_province(r);
		plan_node(g, K_LATIN, 1, 0, IND_OTHER, rng_below(r, 1 << 15), p, rng_below(r, ncities(p)), 0, base);
		return;
	}
	if (!first && u < 0.05) {
		int p = pick_province(r);
		plan_node(g, K_FULLWIDTH, 1, 0, IND_MANUFACTURING, rng_below(r, 1 << 15), p, rng_below(r, ncities(p)),
			  0, base);
		return;
	}
	switch (industry) {
	case IND_CARRIER:
	case IND_POWER:
	case IND_INSURANCE:
	case IND_ENERGY:
		if (first || rng_chance(r, 0.7)) {
			plan_group3(g, industry, brand, base * 3, first);
			return;
		}
		break;
	case IND_BANK:
	case IND_TRANSPORT:
	case IND_MANUFACTURING:
	case IND_INTERNET:
		if (rng_chance(r, 0.45)) {
			plan_group2(g, industry, brand, base * 2);
			return;
		}
		break;
	default:
		break;
	}
	int p = pick_province(r);
	plan_node(g, K_SINGLE, 1, 0, industry, brand, p, rng_below(r, ncities(p)), rng_below(r, gen_nmfg_words), base);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Key accounts: about the top 20% by revenue that still buy; strategic ones
 * are key accounts that lead their industry or are integrated with us. */
static void plan_flags(struct gen *g)
{
	uint64_t n = g->nacc;
	double *v = xmalloc(n * sizeof *v);
	for (uint64_t i = 0; i < n; i++)
		v[i] = g->acc[i].rev;
	qsort(v, n, sizeof *v, cmp_double);
	double p80 = v[n * 8 / 10], p70 = v[n * 7 / 10];
	free(v);
	for (uint64_t i = 0; i < n; i++) {
		struct gacct *a = &g->acc[i];
		int big = a->rev >= p80 || (a->rev >= p70 && a->trend == TR_GROW && rng_chance(&g->plan, 0.3));
		a->key = big && a->trend != TR_STOPPED;
		a->strategic = a->key && (a->position == 0 || a->lifecycle == 2 || rng_chance(&g->plan, 0.2)) &&
			       rng_chance(&g->plan, 0.6);
	}
	/* The flagship group and its first provincial company, as on the screens. */
	for (uint64_t i = 0; i < 2 && i < n; i++)
		g->acc[i].key = g->acc[i].strategic = 1;
}

/* Spread total over the accounts by weight, at least min each, exactly
 * total in sum (cumulative rounding). */
static void plan_spread(struct gen *g, uint64_t total, uint32_t min, double expo, size_t off)
{
	double W = 0;
	for (uint64_t i = 0; i < g->nacc; i++)
		W += pow(g->acc[i].rev, expo);
	uint64_t rest = total - min * g->nacc, done = 0;
	double cum = 0;
	for (uint64_t i = 0; i < g->nacc; i++) {
		cum += pow(g->acc[i].rev, expo);
		uint64_t upto = i + 1 == g->nacc ? rest : (uint64_t)llround((double)rest * cum / W);
		if (upto < done)
			upto = done;
		uint32_t *slot = (uint32_t *)((char *)&g->acc[i] + off);
		*slot = min + (uint32_t)(upto - done);
		done = upto;
	}
}

static void plan(struct gen *g)
{
	const struct gen_size *sz = g->size;
	g->nstaff = (int)(sz->accounts / 10 > 12 ? sz->accounts / 10 : 12);
	g->staff = xcalloc((size_t)g->nstaff, sizeof *g->staff);
	for (int i = 0; i < g->nstaff; i++)
		plan_staff_member(g, i);
	g->acc = xcalloc(sz->accounts, sizeof *g->acc);
	plan_family(g, 1);
	while (!full(g))
		plan_family(g, 0);
	plan_flags(g);
	plan_spread(g, sz->contacts, 2, 0.3, offsetof(struct gacct, ncontacts));
	plan_spread(g, sz->opportunities, 2, 0.3, offsetof(struct gacct, nopps));
	plan_spread(g, sz->activities, 1, 0.3, offsetof(struct gacct, nacts));
}

/* ------------------------------------------------------------------------ */
/* Emit phase: helpers */

static struct record *rec_new(struct gen *g, int ent)
{
	struct record *r = record_new(kam_entities[ent]);
	r->id = ++g->next[ent];
	return r;
}

/* Hands the record to the sink and frees it. */
static int rec_put(struct gen *g, int ent, struct record *r)
{
	int rc = g->emit(r, g->arg);
	g->st.n[ent]++;
	record_free(r);
	return rc;
}

#define PUT(ent, r)                                                                                                    \
	do {                                                                                                           \
		int rc_ = rec_put(g, ent, r);                                                                          \
		if (rc_)                                                                                               \
			return rc_;                                                                                    \
	} while (0)

static void set_textf(struct record *r, int f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_textf(struct record *r, int f, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	record_set_text(r, f, tmp);
}

static int64_t date_between(struct rng *r, int64_t from, int64_t to)
{
	int64_t d0 = date_to_days(from), d1 = date_to_days(to);
	return days_to_date(d0 + rng_below(r, (int)(d1 - d0 + 1)));
}

static int64_t date_add(int64_t d, int days)
{
	return days_to_date(date_to_days(d) + days);
}

/* Money in cents from CNY, rounded to `unit` CNY. */
static int64_t money(double cny, double unit)
{
	double v = floor(cny / unit + 0.5) * unit;
	return (int64_t)v * 100;
}

static const char *brand_zh(int b, char *out, size_t n)
{
	snprintf(out, n, "%s%s", gen_brand1[b / gen_nbrand2 % gen_nbrand1].zh, gen_brand2[b % gen_nbrand2].zh);
	return out;
}

static const char *brand_py(int b, char *out, size_t n)
{
	snprintf(out, n, "%s%s", gen_brand1[b / gen_nbrand2 % gen_nbrand1].py, gen_brand2[b % gen_nbrand2].py);
	return out;
}

/* "北京市" for municipalities, "广东省" otherwise. */
static void prov_full(int p, char *out, size_t n)
{
	snprintf(out, n, "%s%s", gen_provinces[p].name, gen_provinces[p].municipality ? "市" : "省");
}

/* A person's name: Chinese (surname + given) or, for Latin accounts, Latin. */
static void person_name(struct rng *r, int latin, char *name, size_t n, char *ascii, size_t an)
{
	if (latin) {
		int f = rng_below(r, gen_nlatin_first), l = rng_below(r, gen_nlatin_last);
		snprintf(name, n, "%s %s", gen_latin_first[f], gen_latin_last[l]);
		char tmp[64];
		snprintf(tmp, sizeof tmp, "%s.%s", gen_latin_first[f], gen_latin_last[l]);
		size_t k = 0;
		for (const char *p = tmp; *p && k + 1 < an; p++)
			if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '.')
				ascii[k++] = (char)(*p | 0x20);
		ascii[k] = 0;
		return;
	}
	int s = rng_below(r, gen_nsurnames), gv = rng_below(r, gen_ngiven);
	snprintf(name, n, "%s%s", gen_surnames[s].zh, gen_given[gv].zh);
	snprintf(ascii, an, "%s%s", gen_surnames[s].py, gen_given[gv].py);
}

/* ------------------------------------------------------------------------ */
/* Staff */

static const char *const staff_depts[FN__N] = {"大客户部", "解决方案部", "项目管理部", "交付部",
					       "服务部",   "研发部",     "财务部",     "总裁办"};

/* Managers have smaller ids: 王丽 (1) leads sales and the other five named
 * leads; executives report to nobody; every other function's first member
 * reports to the first executive and the rest to that first member. */
static uint32_t staff_manager(struct gen *g, int i)
{
	const struct gstaff *s = &g->staff[i];
	uint32_t id = (uint32_t)(i + 1);
	if (id == 1 || s->function == FN_EXEC)
		return 0;
	if (s->function == FN_AM)
		return id <= 6 ? 1 : (uint32_t)(1 + rng_below(&g->r, 6));
	const struct idlist *l = &g->by_function[s->function];
	if (l->v[0] < id)
		return l->v[0];
	return g->by_function[FN_EXEC].n ? g->by_function[FN_EXEC].v[0] : 1;
}

static int emit_staff(struct gen *g)
{
	/* The leads the screens show, then random names; logins made unique
	 * with a counter per name (wangli, wangli2 ...). */
	static const int named[5][2] = {{0, 0}, {3, 1}, {4, 2}, {7, 3}, {9, 4}};
	uint16_t *seen =
	    xcalloc((size_t)(gen_nsurnames * gen_ngiven + gen_nlatin_first * gen_nlatin_last), sizeof *seen);
	int rc = 0;
	for (int i = 0; i < g->nstaff && !rc; i++) {
		const struct gstaff *s = &g->staff[i];
		struct record *r = rec_new(g, ENT_staff);
		char name[64], login[64];
		int key;
		if (i < 5 || (i > 5 && !rng_chance(&g->r, 0.05))) {
			int sn = i < 5 ? named[i][0] : rng_below(&g->r, gen_nsurnames);
			int gv = i < 5 ? named[i][1] : rng_below(&g->r, gen_ngiven);
			snprintf(name, sizeof name, "%s%s", gen_surnames[sn].zh, gen_given[gv].zh);
			snprintf(login, sizeof login, "%s%s", gen_surnames[sn].py, gen_given[gv].py);
			key = sn * gen_ngiven + gv;
		} else {
			int f = i == 5 ? 1 : rng_below(&g->r, gen_nlatin_first);
			int l = i == 5 ? 0 : rng_below(&g->r, gen_nlatin_last);
			snprintf(name, sizeof name, "%s %s", gen_latin_first[f], gen_latin_last[l]);
			snprintf(login, sizeof login, "%c%s", gen_latin_first[f][0] | 0x20, gen_latin_last[l]);
			for (char *p = login; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p);
			char *q = strchr(login, '\''); /* o'brien -> obrien */
			if (q)
				memmove(q, q + 1, strlen(q));
			key = gen_nsurnames * gen_ngiven + f * gen_nlatin_last + l;
		}
		if (seen[key]++)
			snprintf(login + strlen(login), sizeof login - strlen(login), "%d", seen[key]);
		record_set_text(r, STAFF_NAME, name);
		record_set_text(r, STAFF_LOGIN, login);
		record_set_text(r, STAFF_DEPARTMENT, staff_depts[s->function]);
		record_set_text(r, STAFF_FUNCTION, kam_enum_function[s->function]);
		record_set_text(r, STAFF_REGION, gen_provinces[s->province].name);
		/* Managers come first: 王丽 leads sales, executives stand alone, the
		 * others report to a lead of their function or to 王丽. */
		uint32_t m = staff_manager(g, i);
		if (m)
			record_set_int(r, STAFF_MANAGER, m);
		record_set_text(r, STAFF_STATUS, s->left ? "left" : "active");
		const char *role = i < 2 || (s->function == FN_EXEC && i < 8) ? "admin"
				   : rng_chance(&g->r, 0.15)                  ? "viewer"
									      : "editor";
		record_set_text(r, STAFF_ROLE, role);
		rc = rec_put(g, ENT_staff, r);
	}
	free(seen);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Accounts */

static void account_names(const struct gacct *a, char *name, size_t n, char *shortn, size_t sn)
{
	char b[32], pf[32];
	brand_zh(a->brand, b, sizeof b);
	prov_full(a->province, pf, sizeof pf);
	const char *P = gen_provinces[a->province].name, *C = gen_provinces[a->province].cities[a->city];
	const char *W = gen_mfg_words[a->word % gen_nmfg_words];
	static const char *const group_tpl[][3] = {
	    /* group, provincial company, city branch ("%1$s" brand, "%2$s" province/city) */
	    [IND_CARRIER] = {"中国%s通信集团有限公司", "中国%s通信集团%s有限公司", "%s分公司"},
	    [IND_POWER] = {"%s电网有限公司", "%s电网%s电力有限公司", "%s供电局"},
	    [IND_INSURANCE] = {"%s保险集团股份有限公司", "%s财产保险%s分公司", "%s中心支公司"},
	    [IND_ENERGY] = {"%s能源集团有限公司", "%s能源%s有限公司", "%s分公司"},
	};
	switch (a->kind) {
	case K_GROUP:
		snprintf(name, n, group_tpl[a->industry][0], b);
		snprintf(shortn, sn, "%s集团", b);
		return;
	case K_PROVINCE:
		snprintf(name, n, group_tpl[a->industry][1], b, P);
		snprintf(shortn, sn, "%s%s", b, P);
		return;
	case K_BRANCH:
		snprintf(name, n, group_tpl[a->industry][2], C);
		snprintf(shortn, sn, "%s%s", b, C);
		return;
	case K_HQ2:
	case K_BRANCH2:
		if (a->industry == IND_BANK)
			snprintf(name, n, a->kind == K_HQ2 ? "%s银行股份有限公司" : "%s银行%s分行", b, C);
		else if (a->industry == IND_TRANSPORT)
			snprintf(name, n, a->kind == K_HQ2 ? "%s物流集团有限公司" : "%s物流%s分公司", b, C);
		else if (a->industry == IND_INTERNET)
			snprintf(name, n, a->kind == K_HQ2 ? "%s科技集团有限公司" : "%s科技(%s)有限公司", b, C);
		else if (a->kind == K_HQ2)
			snprintf(name, n, "%s%s集团有限公司", b, W);
		else
			snprintf(name, n, "%s%s(%s)有限公司", b, W, C);
		snprintf(shortn, sn, a->kind == K_HQ2 ? "%s" : "%s%s", b, C);
		return;
	case K_LATIN: {
		int w = a->brand / gen_nlatin_brands % gen_nlatin_words;
		snprintf(name, n, "%s %s %s", gen_latin_brands[a->brand % gen_nlatin_brands], gen_latin_words[w],
			 gen_latin_suffixes[a->brand / 7 % gen_nlatin_suffixes]);
		snprintf(shortn, sn, "%s", gen_latin_brands[a->brand % gen_nlatin_brands]);
		return;
	}
	case K_FULLWIDTH: {
		/* Three full-width capitals (U+FF21..U+FF3A: EF BC A1..BA). */
		char fw[16];
		int k = 0;
		for (int i = 0; i < 3; i++) {
			int c = (a->brand >> (i * 5)) % 26;
			fw[k++] = (char)0xEF, fw[k++] = (char)0xBC, fw[k++] = (char)(0xA1 + c);
		}
		fw[k] = 0;
		snprintf(name, n, "%s%s股份有限公司", fw, gen_fullwidth_words[a->brand % gen_nfullwidth_words]);
		snprintf(shortn, sn, "%s", fw);
		return;
	}
	default:
		break;
	}
	/* K_SINGLE by industry */
	switch (a->industry) {
	case IND_GOVERNMENT: {
		/* Province-level bureaus, or the city's data bureau. */
		static const char *const gov[] = {"%s大数据管理局", "%s政务服务数据管理局", "%s交通运输厅", "%s公安厅"};
		int k = a->brand % NELEM(gov);
		char where[32];
		if (k == 1)
			snprintf(where, sizeof where, "%s市", C);
		else
			snprintf(where, sizeof where, "%s", pf);
		snprintf(name, n, gov[k], where);
		snprintf(shortn, sn, "%s%s", k == 1 ? C : P,
			 k == 0   ? "大数据局"
			 : k == 1 ? "数据局"
			 : k == 2 ? "交通厅"
				  : "公安厅");
		return;
	}
	case IND_HEALTHCARE: {
		static const char *const no[] = {"第一", "第二", "第三", "中心", "中"};
		snprintf(name, n, "%s市%s人民医院", C, no[a->brand % NELEM(no)]);
		if (a->brand % NELEM(no) == 4)
			snprintf(name, n, "%s市中医院", C);
		snprintf(shortn, sn, "%s医院", C);
		return;
	}
	case IND_EDUCATION: {
		static const char *const kinds[] = {"理工", "科技", "师范", "财经", "交通"};
		snprintf(name, n, "%s%s%s大学", C, b, kinds[a->brand % NELEM(kinds)]);
		snprintf(shortn, sn, "%s%s", C, b);
		return;
	}
	case IND_BANK:
		snprintf(name, n, "%s%s农村商业银行股份有限公司", C, b);
		break;
	case IND_MANUFACTURING:
		snprintf(name, n, "%s%s%s股份有限公司", P, b, W);
		break;
	case IND_INTERNET:
		snprintf(name, n, "%s%s网络科技有限公司", C, b);
		break;
	case IND_TRANSPORT:
		snprintf(name, n, "%s%s港口集团有限公司", C, b);
		break;
	case IND_CARRIER:
		snprintf(name, n, "%s%s信息通信有限公司", C, b);
		break;
	case IND_POWER:
		snprintf(name, n, "%s%s电力设计院有限公司", P, b);
		break;
	case IND_INSURANCE:
		snprintf(name, n, "%s%s人寿保险股份有限公司", C, b);
		break;
	case IND_ENERGY:
		snprintf(name, n, "%s%s燃气股份有限公司", C, b);
		break;
	default:
		snprintf(name, n, "%s%s置业有限公司", C, b);
		break;
	}
	snprintf(shortn, sn, "%s%s", C, b);
}

static int emit_account(struct gen *g, const struct gacct *a)
{
	struct rng *r = &g->r;
	struct record *rec = rec_new(g, ENT_account);
	char name[192], shortn[96];
	account_names(a, name, sizeof name, shortn, sizeof shortn);
	record_set_text(rec, ACCOUNT_NAME, name);
	record_set_text(rec, ACCOUNT_SHORT_NAME, shortn);
	if (a->parent)
		record_set_int(rec, ACCOUNT_PARENT, a->parent);
	int industry = a->industry;
	if (a->kind == K_LATIN)
		industry = enum_index(kam_enum_industry,
				      gen_latin_word_industry[a->brand / gen_nlatin_brands % gen_nlatin_words]);
	record_set_text(rec, ACCOUNT_INDUSTRY, kam_enum_industry[industry]);
	record_set_text(rec, ACCOUNT_PROVINCE, gen_provinces[a->province].name);
	if (a->kind != K_GROUP && a->kind != K_PROVINCE && a->kind != K_HQ2)
		record_set_text(rec, ACCOUNT_CITY, gen_provinces[a->province].cities[a->city]);
	else
		record_set_text(rec, ACCOUNT_CITY, gen_provinces[a->province].cities[0]);
	/* Employees follow revenue (about one per 800 CNY a year), with noise. */
	double emp = a->rev / 800.0 * lognormal(r, 0.5) + 50;
	int64_t employees = (int64_t)emp > 400000 ? 400000 + rng_below(r, 50000) : (int64_t)emp;
	record_set_int(rec, ACCOUNT_EMPLOYEES, employees);
	record_set_text(rec, ACCOUNT_SCALE,
			employees >= 50000   ? "xl"
			: employees >= 10000 ? "l"
			: employees >= 1000  ? "m"
					     : "s");
	record_set_text(rec, ACCOUNT_POSITION, kam_enum_position[a->position]);
	record_set_text(rec, ACCOUNT_PROCUREMENT, kam_enum_procurement[a->procurement]);
	const char *stage;
	if (a->trend == TR_STOPPED)
		stage = "disintegrating";
	else if (a - g->acc < 2)
		stage = "stabilize";
	else if (rng_chance(r, 0.7))
		stage = kam_enum_rel_stage[a->key ? 1 + rng_below(r, 2) : rng_below(r, 3)];
	else
		stage = kam_enum_rel_stage[3 + rng_below(r, 5)];
	record_set_text(rec, ACCOUNT_STAGE, stage);
	record_set_int(rec, ACCOUNT_STAGE_SINCE, date_between(r, 20220101, 20261031));
	record_set_text(rec, ACCOUNT_LIFECYCLE, kam_enum_lifecycle[a->lifecycle]);
	record_set_int(rec, ACCOUNT_KAM, a->kam);
	record_set_int(rec, ACCOUNT_KEY, a->key);
	record_set_int(rec, ACCOUNT_STRATEGIC, a->strategic);
	record_set_int(rec, ACCOUNT_ARCHIVED, 0);
	if (a->trend == TR_STOPPED)
		record_set_text(rec, ACCOUNT_NOTES, "2026年起停止采购, 需分析原因");
	else if (a->kind == K_GROUP && a->procurement == 0)
		record_set_text(rec, ACCOUNT_NOTES, "集团统一采购, 省公司执行");
	return rec_put(g, ENT_account, rec);
}

/* Three years of history. Revenue 2026 is the Pareto draw; earlier years
 * follow the trend backwards. The customer's budget is several times our
 * revenue (share of wallet 5-40%). */
static int emit_account_years(struct gen *g, const struct gacct *a, uint64_t aid)
{
	struct rng *r = &g->r;
	double rev = a->rev, growth;
	switch (a->trend) {
	case TR_GROW:
		growth = 1.05 + 0.2 * rng_unit(r);
		break;
	case TR_DECLINE:
		growth = 0.7 + 0.25 * rng_unit(r);
		break;
	default:
		growth = 0.95 + 0.1 * rng_unit(r);
	}
	double revs[3] = {rev / growth / growth, rev / growth, rev};
	if (a->trend == TR_STOPPED) { /* nothing in 2026, often a weak 2025 already */
		revs[2] = 0;
		revs[1] *= rng_chance(r, 0.5) ? 0.4 : 1.0;
	}
	double sow = 0.05 + 0.35 * rng_unit(r);
	double budget = rev / sow;
	for (int y = 0; y < 3; y++) {
		if (y == 0 && a->trend == TR_NEW)
			continue;
		struct record *rec = rec_new(g, ENT_account_year);
		record_set_int(rec, AY_ACCOUNT, (int64_t)aid);
		record_set_int(rec, AY_YEAR, 2024 + y);
		double b = budget * (0.85 + 0.05 * y) * (0.95 + 0.1 * rng_unit(r));
		if (b < revs[y] * 1.1)
			b = revs[y] * 1.1 + 1e5;
		record_set_int(rec, AY_BUDGET, money(b, 1e4));
		record_set_int(rec, AY_REVENUE, money(revs[y], 1e3));
		if (revs[y] > 0)
			record_set_int(rec, AY_MARGIN, rng_range(r, 5, 35));
		PUT(ENT_account_year, rec);
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Contacts: org chart, links with A/B owners, influence map */

static void actx_reserve(struct actx *cx, int nc, int no)
{
	if (nc > cx->cap_c) {
		cx->cap_c = nc * 2;
		cx->cid = xrealloc(cx->cid, (size_t)cx->cap_c * sizeof *cx->cid);
		cx->clevel = xrealloc(cx->clevel, (size_t)cx->cap_c);
		cx->ckey = xrealloc(cx->ckey, (size_t)cx->cap_c);
		cx->cstale = xrealloc(cx->cstale, (size_t)cx->cap_c);
		cx->cdept = xrealloc(cx->cdept, (size_t)cx->cap_c * sizeof *cx->cdept);
		cx->cname = xrealloc(cx->cname, (size_t)cx->cap_c * sizeof *cx->cname);
	}
	if (no > cx->cap_o) {
		cx->cap_o = no * 2;
		cx->oid = xrealloc(cx->oid, (size_t)cx->cap_o * sizeof *cx->oid);
		cx->odecision = xrealloc(cx->odecision, (size_t)cx->cap_o * sizeof *cx->odecision);
		cx->oopen = xrealloc(cx->oopen, (size_t)cx->cap_o);
		cx->ooffer = xrealloc(cx->ooffer, (size_t)cx->cap_o);
	}
}

static void actx_free(struct actx *cx)
{
	free(cx->cid), free(cx->clevel), free(cx->ckey), free(cx->cstale), free(cx->cdept), free(cx->cname);
	free(cx->oid), free(cx->odecision), free(cx->oopen), free(cx->ooffer);
}

static const char *top_title(int industry, int latin, int depth)
{
	if (latin)
		return "CEO";
	switch (industry) {
	case IND_BANK:
		return "行长";
	case IND_GOVERNMENT:
		return "局长";
	case IND_HEALTHCARE:
		return "院长";
	case IND_EDUCATION:
		return "校长";
	default:
		return depth == 1 ? "董事长" : "总经理";
	}
}

/* The decision role, influence and relationship of a contact by level. */
static void link_roles(struct rng *r, struct record *rec, int level, int title)
{
	const char *role, *infl;
	switch (level) {
	case 1:
		role = rng_chance(r, 0.6) ? "decision_maker" : "economic_buyer";
		infl = "high";
		break;
	case 2:
		role = title == 2   ? "economic_buyer"
		       : title == 3 ? "gatekeeper"
		       : title == 0 ? "technical"
				    : "decision_maker";
		infl = rng_chance(r, 0.6) ? "high" : "medium";
		break;
	case 3:
		role = rng_chance(r, 0.15) ? "coach" : rng_chance(r, 0.5) ? "technical" : "influencer";
		infl = rng_chance(r, 0.5) ? "medium" : "low";
		break;
	default:
		role = "user";
		infl = "low";
	}
	static const int att_w[] = {10, 30, 35, 15, 10};
	int now = rng_pick(r, (const int[]){35, 35, 20, 10}, 4);
	record_set_text(rec, AC_ROLE, role);
	record_set_text(rec, AC_INFLUENCE, infl);
	record_set_text(rec, AC_ATTITUDE, kam_enum_attitude[rng_pick(r, att_w, 5)]);
	record_set_text(rec, AC_LEVEL_NOW, kam_enum_rel_level[now]);
	record_set_text(rec, AC_LEVEL_DESIRED, kam_enum_rel_level[now + (now < 3 && level <= 2 ? 1 : 0)]);
}

static uint32_t other_am(struct gen *g, struct rng *r, int province, uint32_t except)
{
	for (int tries = 0; tries < 8; tries++) {
		uint32_t id = pick_am(g, r, province, 1);
		if (id != except)
			return id;
	}
	return except == 1 ? 2 : 1;
}

/* The account_contact link: A owner is the KAM for the top people, B a
 * colleague (never the same person: record_validate forbids A == B, so the
 * "A = B" violation cannot be stored and is not generated). */
static int emit_link(struct gen *g, uint64_t aid, const struct gacct *a, int i, int title)
{
	struct rng *r = &g->r;
	struct actx *cx = &g->cx;
	struct record *rec = rec_new(g, ENT_account_contact);
	record_set_int(rec, AC_ACCOUNT, (int64_t)aid);
	record_set_int(rec, AC_CONTACT, (int64_t)cx->cid[i]);
	link_roles(r, rec, cx->clevel[i], title);
	uint32_t owner_a = cx->clevel[i] <= 2 ? a->kam : pick_am(g, r, a->province, 1);
	record_set_int(rec, AC_OWNER_A, owner_a);
	int key = cx->ckey[i];
	if (key && rng_chance(r, 0.04))
		g->st.key_without_b++; /* deliberate: key contact without a B owner */
	else if (key || rng_chance(r, 0.5)) {
		uint32_t owner_b = other_am(g, r, a->province, owner_a);
		record_set_int(rec, AC_OWNER_B, owner_b);
		if (g->staff[owner_b - 1].left)
			g->st.owner_left++;
	}
	if (g->staff[owner_a - 1].left)
		g->st.owner_left++;
	record_set_int(rec, AC_KEY, key);
	record_set_int(rec, AC_START, date_between(r, 20150101, 20260630));
	PUT(ENT_account_contact, rec);
	return 0;
}

static int emit_contact(struct gen *g, uint64_t aid, const struct gacct *a, int i, int boss)
{
	struct rng *r = &g->r;
	struct actx *cx = &g->cx;
	int latin = a->kind == K_LATIN;
	int level = i == 0 ? 1 : boss == 0 ? 2 : cx->clevel[boss] + 1;
	if (level > 4)
		level = 4;
	char ascii[64], bpy[32];
	person_name(r, latin, cx->cname[i], sizeof cx->cname[i], ascii, sizeof ascii);
	struct record *rec = rec_new(g, ENT_contact);
	cx->cid[i] = rec->id;
	cx->clevel[i] = (uint8_t)level;
	cx->ckey[i] = level <= 2 || (level == 3 && rng_chance(r, 0.2));
	cx->cstale[i] = 0;
	int title = 0;
	const char *t, *d;
	switch (level) {
	case 1:
		t = top_title(a->industry, latin, a->depth);
		d = latin ? "Executive Office" : "总经理办公室";
		break;
	case 2:
		title = (i - 1) % gen_ntitle2;
		t = latin ? gen_title2_en[title] : gen_title2[title];
		d = latin ? gen_dept2_en[title] : gen_dept2[title];
		break;
	case 3:
		title = rng_below(r, gen_ntitle3);
		t = latin ? gen_title3_en[title] : gen_title3[title];
		d = latin ? gen_dept3_en[title] : gen_dept3[title];
		break;
	default:
		title = rng_below(r, gen_ntitle4);
		t = latin ? gen_title4_en[title] : gen_title4[title];
		d = cx->cdept[boss]; /* engineers work in their boss's department */
	}
	cx->cdept[i] = d;
	record_set_text(rec, CONTACT_NAME, cx->cname[i]);
	record_set_text(rec, CONTACT_TITLE, t);
	record_set_text(rec, CONTACT_DEPARTMENT, d);
	const struct gen_province *p = &gen_provinces[a->province];
	unsigned long long mobile = 3000000000ULL + rng_next(r) % 6999999999ULL;
	if (rng_chance(r, 0.4))
		set_textf(rec, CONTACT_PHONE, "1%llu;%s-%08d", mobile, p->area[a->city],
			  rng_range(r, 20000000, 89999999));
	else
		set_textf(rec, CONTACT_PHONE, "1%llu", mobile);
	set_textf(rec, CONTACT_EMAIL, "%s.%llu@%s.example.com", ascii, (unsigned long long)rec->id,
		  a->kind == K_LATIN || a->kind == K_FULLWIDTH ? "corp" : brand_py(a->brand, bpy, sizeof bpy));
	if (i > 0)
		record_set_int(rec, CONTACT_REPORTS_TO, (int64_t)cx->cid[boss]);
	record_set_text(rec, CONTACT_STATUS, rng_chance(r, 0.03) ? "left" : "active");
	static const char *const days[] = {"Mon,Wed", "Tue,Thu", "Wed,Fri", "Tue", "Thu", "Mon-Fri"};
	static const char *const times[] = {"morning", "afternoon", "evening"};
	static const char *const places[] = {"office", "office", "tea house", "restaurant", "golf club"};
	record_set_text(rec, CONTACT_VISIT_DAYS, days[rng_below(r, NELEM(days))]);
	record_set_text(rec, CONTACT_VISIT_TIME, times[rng_below(r, level <= 2 ? 3 : 2)]);
	record_set_text(rec, CONTACT_VISIT_PLACE, places[rng_below(r, level <= 2 ? NELEM(places) : 2)]);
	static const int cadence[] = {0, 30, 21, 30, 60};
	record_set_int(rec, CONTACT_CADENCE, cadence[level] + (rng_chance(r, 0.3) ? 14 : 0));
	if (rng_chance(r, 0.7)) {
		if (rng_chance(r, 0.3))
			set_textf(rec, CONTACT_DATES, "birthday:%02d-%02d;work_anniversary:%02d-%02d",
				  rng_range(r, 1, 12), rng_range(r, 1, 28), rng_range(r, 1, 12), rng_range(r, 1, 28));
		else
			set_textf(rec, CONTACT_DATES, "birthday:%02d-%02d", rng_range(r, 1, 12), rng_range(r, 1, 28));
	}
	if (rng_chance(r, 0.1))
		record_set_text(rec, CONTACT_PRIVATE_NOTES, gen_private_notes[rng_below(r, gen_nprivate_notes)]);
	PUT(ENT_contact, rec);
	return emit_link(g, aid, a, i, title);
}

/* Influence map: people influence their boss and peers; a few conflict. */
static int emit_influences(struct gen *g, int nc)
{
	struct rng *r = &g->r;
	struct actx *cx = &g->cx;
	uint32_t done[64];
	int n = nc / 3 < 64 ? nc / 3 : 64, ndone = 0;
	for (int k = 0; k < n; k++) {
		int from = rng_range(r, 1, nc - 1), to = rng_below(r, from), dup = 0;
		uint32_t pair = (uint32_t)from << 16 | (uint32_t)to;
		for (int j = 0; j < ndone && !dup; j++)
			dup = done[j] == pair;
		if (dup) /* one edge per pair */
			continue;
		done[ndone++] = pair;
		struct record *rec = rec_new(g, ENT_influence);
		int conflict = rng_chance(r, 0.15);
		record_set_int(rec, INF_FROM, (int64_t)cx->cid[from]);
		record_set_int(rec, INF_TO, (int64_t)cx->cid[to]);
		record_set_text(rec, INF_KIND, conflict ? "conflicts" : "influences");
		record_set_text(rec, INF_STRENGTH, kam_enum_strength[rng_below(r, 3)]);
		PUT(ENT_influence, rec);
	}
	return 0;
}

/* The org chart: the top person, up to five reporting to them, the rest
 * below one of those (and a few a level deeper). Contacts are kept out of
 * recent activities for a few key people (stale contacts, check 6). */
static int emit_contacts(struct gen *g, uint64_t aid, struct gacct *a)
{
	struct rng *r = &g->r;
	struct actx *cx = &g->cx;
	int nc = (int)a->ncontacts;
	for (int i = 0; i < nc; i++) {
		int boss = 0;
		if (i > 5) {
			boss = rng_range(r, 1, 5 < i - 1 ? 5 : i - 1);
			if (i > 10 && rng_chance(r, 0.3))
				boss = rng_range(r, 6, i - 1);
		}
		int rc = emit_contact(g, aid, a, i, boss);
		if (rc)
			return rc;
	}
	a->first_contact = (uint32_t)cx->cid[0];
	for (int i = 1; i < nc; i++)
		if (cx->ckey[i] && rng_chance(r, 0.05))
			cx->cstale[i] = 1, g->st.stale_contacts++;
	/* One person, several accounts: the parent's top person sits in the
	 * branch's decisions too. */
	if (a->parent && rng_chance(r, 0.3)) {
		struct record *rec = rec_new(g, ENT_account_contact);
		record_set_int(rec, AC_ACCOUNT, (int64_t)aid);
		record_set_int(rec, AC_CONTACT, g->acc[a->parent - 1].first_contact);
		record_set_text(rec, AC_ROLE, "influencer");
		record_set_text(rec, AC_INFLUENCE, "high");
		record_set_text(rec, AC_ATTITUDE, kam_enum_attitude[rng_below(r, 4)]);
		record_set_int(rec, AC_OWNER_A, g->acc[a->parent - 1].kam);
		record_set_int(rec, AC_OWNER_B, other_am(g, r, a->province, g->acc[a->parent - 1].kam));
		record_set_int(rec, AC_KEY, 0);
		PUT(ENT_account_contact, rec);
	}
	return emit_influences(g, nc);
}

/* ------------------------------------------------------------------------ */
/* Opportunities */

static void competitors(struct rng *r, char *out, size_t n)
{
	int k = rng_pick(r, (const int[]){20, 40, 30, 10}, 4), left = 90;
	size_t len = 0;
	out[0] = 0;
	int used = 0;
	for (int i = 0; i < k; i++) {
		int c = rng_below(r, gen_ncompetitors);
		if (used & (1 << c))
			continue;
		used |= 1 << c;
		int share = 5 * rng_range(r, 1, left / 5 < 8 ? left / 5 : 8);
		left -= share;
		len += (size_t)snprintf(out + len, n - len, "%s%s:%d", len ? ";" : "", gen_competitors[c], share);
		if (left < 10 || len >= n)
			break;
	}
}

static int emit_opp_contacts(struct gen *g, uint64_t oid, int nc)
{
	struct rng *r = &g->r;
	struct actx *cx = &g->cx;
	/* The first is the top person or the CIO, then one or two others; many
	 * lists stay incomplete (check 5 finds them). */
	static const char *const roles[] = {"economic", "technical", "user", "coach"};
	int n = rng_range(r, 1, 3), used[3] = {-1, -1, -1};
	for (int k = 0; k < n; k++) {
		int who = k == 0 ? (nc > 1 && rng_chance(r, 0.5) ? 1 : 0) : rng_below(r, nc);
		if (who == used[0] || who == used[1])
			continue;
		struct record *rec = rec_new(g, ENT_opp_contact);
		record_set_int(rec, OC_OPPORTUNITY, (int64_t)oid);
		record_set_int(rec, OC_CONTACT, (int64_t)cx->cid[who]);
		/* The top person and the finance director (contact 3) hold the money. */
		int role = who == 0 || who == 3 ? 0 : cx->clevel[who] >= 4 ? 2 : rng_range(r, 1, 3);
		record_set_text(rec, OC_ROLE, roles[role]);
		record_set_int(rec, OC_PRIMARY, k == 0);
		used[k] = who;
		PUT(ENT_opp_contact, rec);
	}
	return 0;
}

static int emit_opportunity(struct gen *g, uint64_t aid, const struct gacct *a, int k, int year, double each)
{
	struct rng *r = &g->r;
	struct actx *cx = &g->cx;
	struct record *rec = rec_new(g, ENT_opportunity);
	int off = rng_below(r, gen_nofferings);
	const struct gen_offering *o = &gen_offerings[off];
	const char *city = gen_provinces[a->province].cities[a->city];
	record_set_int(rec, OPP_ACCOUNT, (int64_t)aid);
	record_set_int(rec, OPP_YEAR, year);
	if (a->depth >= 2 && rng_chance(r, 0.4))
		set_textf(rec, OPP_TITLE, "%s %s", o->name, city);
	else if (rng_chance(r, 0.3))
		set_textf(rec, OPP_TITLE, "%d %s", year, o->name);
	else
		set_textf(rec, OPP_TITLE, "%s%s", o->name, rng_chance(r, 0.3) ? " 二期" : "");
	record_set_text(rec, OPP_OFFERING, o->name);
	record_set_text(rec, OPP_BUDGET_LINE, o->budget_line);
	record_set_int(rec, OPP_AMOUNT, money(fmax(5e4, each * lognormal(r, 0.6)), 1e4));
	record_set_text(rec, OPP_CURRENCY, "CNY");
	int64_t decision;
	int status = 0; /* open */
	static const int prob[] = {10, 20, 40, 60, 80};
	int stage = rng_pick(r, (const int[]){15, 25, 25, 20, 15}, 5);
	if (year == 2026) {
		decision = date_between(r, 20260201, 20261231);
		if (decision < GEN_TODAY) {
			/* Decided: won or lost, except a few left open (check 11). */
			if (rng_chance(r, 0.08))
				g->st.overdue_open++;
			else
				status = rng_chance(r, 0.6) ? 1 : 2;
		}
	} else {
		decision = date_between(r, 20270115, 20271215);
	}
	record_set_int(rec, OPP_DECISION, decision);
	if (status) {
		record_set_text(rec, OPP_STAGE, "closed");
		record_set_int(rec, OPP_PROBABILITY, status == 1 ? 100 : 0);
	} else {
		record_set_text(rec, OPP_STAGE, kam_enum_opp_stage[stage]);
		record_set_int(rec, OPP_PROBABILITY, prob[stage]);
	}
	record_set_int(rec, OPP_STRATEGIC, o->strategic);
	record_set_text(rec, OPP_BUYING_UNIT,
			a->kind == K_LATIN ? "IT" : gen_buying_units[rng_below(r, gen_nbuying_units)]);
	record_set_text(rec, OPP_REGION, gen_provinces[a->province].name);
	char comp[128];
	competitors(r, comp, sizeof comp);
	if (comp[0])
		record_set_text(rec, OPP_COMPETITORS, comp);
	record_set_text(rec, OPP_STATUS, kam_enum_opp_status[status]);
	if (status == 2)
		record_set_text(rec, OPP_LOST_REASON, gen_lost_reasons[rng_below(r, gen_nlost_reasons)]);
	record_set_int(rec, OPP_OWNER, rng_chance(r, 0.7) ? a->kam : pick_am(g, r, a->province, 0));
	if (year == 2027 && rng_chance(r, 0.05))
		record_set_int(rec, OPP_DRAFT, 1);
	cx->oid[k] = rec->id;
	cx->odecision[k] = decision;
	cx->oopen[k] = status == 0;
	cx->ooffer[k] = (uint8_t)off;
	int strategic_opp = o->strategic && a->key;
	PUT(ENT_opportunity, rec);
	int rc = emit_opp_contacts(g, cx->oid[k], (int)a->ncontacts);
	if (rc || !strategic_opp)
		return rc;
	/* Strategic opportunities of key accounts get a solution expert. */
	struct record *t = rec_new(g, ENT_team);
	record_set_int(t, TEAM_STAFF,
		       pick_from(r, g->by_function[FN_SOLUTION].n ? &g->by_function[FN_SOLUTION] : &g->active_am));
	record_set_int(t, TEAM_OPPORTUNITY, (int64_t)cx->oid[k]);
	record_set_text(t, TEAM_ROLE, "方案经理");
	record_set_text(t, TEAM_PHASE, "initiation");
	record_set_int(t, TEAM_FROM, date_add(decision, -120));
	record_set_int(t, TEAM_TO, date_add(decision, 30));
	PUT(ENT_team, t);
	return 0;
}

static int emit_opportunities(struct gen *g, uint64_t aid, const struct gacct *a)
{
	int no = (int)a->nopps, n2026 = no / 2;
	/* The opportunities of a year add up to somewhat more than a year's revenue. */
	double base = a->rev > 0 ? a->rev : 1e6;
	for (int k = 0; k < no; k++) {
		int year = k < n2026 ? 2026 : 2027;
		int per_year = year == 2026 ? n2026 : no - n2026;
		int rc = emit_opportunity(g, aid, a, k, year, base * 1.3 / per_year);
		if (rc)
			return rc;
	}
	g->cx.no = no;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Team, activities, complaints, plans */

static int emit_team(struct gen *g, uint64_t aid, const struct gacct *a)
{
	struct rng *r = &g->r;
	static const int fns[] = {FN_AM, FN_SOLUTION, FN_DELIVERY, FN_SERVICE, FN_PROJECT, FN_EXEC, FN_FINANCE, FN_RND};
	static const char *const roles[] = {"客户经理", "解决方案",   "交付经理", "服务经理",
					    "项目经理", "高层赞助人", "商务财务", "研发支持"};
	int n = a->key ? rng_range(r, 4, 7) : rng_range(r, 1, 2);
	const char *phase = kam_enum_team_phase[a->lifecycle];
	for (int k = 0; k < n; k++) {
		const struct idlist *l = &g->by_function[fns[k]];
		if (!l->n)
			continue;
		struct record *rec = rec_new(g, ENT_team);
		record_set_int(rec, TEAM_STAFF, k == 0 ? a->kam : pick_from(r, l));
		record_set_int(rec, TEAM_ACCOUNT, (int64_t)aid);
		record_set_text(rec, TEAM_ROLE, roles[k]);
		record_set_text(rec, TEAM_PHASE, phase);
		record_set_int(rec, TEAM_FROM, date_between(r, 20240101, 20260101));
		PUT(ENT_team, rec);
	}
	return 0;
}

enum {
	AT_COMPANY_VISIT,
	AT_EXHIBITION,
	AT_REFERENCE_VISIT,
	AT_EXECUTIVE_VISIT,
	AT_TECH_EXCHANGE,
	AT_OFFICE_VISIT,
	AT_PRIVATE_VISIT,
	AT_BANQUET,
	AT_BUSINESS_REVIEW,
	AT_COMPLAINT,
	AT_CALL,
	AT_EMAIL
};

static int is_brand(int type)
{
	return type <= AT_TECH_EXCHANGE || type == AT_BANQUET;
}

/* Contacts of an activity, "3;17" style; stale contacts only before mid-2026. */
static void activity_contacts(struct gen *g, int64_t date, int n, char *out, size_t len, int *first)
{
	struct rng *r = &g->r;
	struct actx *cx = &g->cx;
	size_t at = 0;
	out[0] = 0;
	*first = -1;
	uint64_t last = 0;
	for (int k = 0; k < n * 3 && n; k++) {
		int i = rng_below(r, cx->nc);
		if (cx->cstale[i] && date >= 20260501)
			continue;
		if (cx->cid[i] <= last) /* ascending and distinct */
			continue;
		at += (size_t)snprintf(out + at, len - at, "%s%llu", at ? ";" : "", (unsigned long long)cx->cid[i]);
		last = cx->cid[i];
		if (*first < 0)
			*first = i;
		if (--n == 0 || at + 24 > len)
			break;
	}
}

static int64_t pick_activity_date(struct rng *r)
{
	return rng_chance(r, 0.7) ? date_between(r, 20260101, 20261231) : date_between(r, 20270101, 20271231);
}

static int emit_activity(struct gen *g, uint64_t aid, const struct gacct *a)
{
	struct rng *r = &g->r;
	struct actx *cx = &g->cx;
	static const int type_w[] = {4, 3, 3, 5, 8, 35, 10, 4, 5, 3, 12, 8};
	int type = rng_pick(r, type_w, NELEM(type_w));
	struct record *rec = rec_new(g, ENT_activity);
	int64_t date = pick_activity_date(r);
	int opp = -1;
	record_set_int(rec, ACT_ACCOUNT, (int64_t)aid);
	record_set_text(rec, ACT_TYPE, kam_enum_activity_type[type]);
	if (is_brand(type)) {
		/* Brand activities support an opportunity and end well before its
		 * decision date; a few are deliberately late or unlinked. */
		if (cx->no && !rng_chance(r, 0.02)) {
			opp = rng_below(r, cx->no);
			for (int t = 0; t < 4 && !cx->oopen[opp]; t++)
				opp = rng_below(r, cx->no);
			int64_t dec = cx->odecision[opp];
			if (rng_chance(r, 0.04)) {
				date = date_add(dec, rng_range(r, 1, 30));
				g->st.brand_after_decision++;
			} else {
				date = date_add(dec, -rng_range(r, 21, 120));
				if (date < 20260105)
					date = 20260105;
				if (date >= dec) /* decision too early in 2026: the deal is past */
					g->st.brand_after_decision++;
			}
			record_set_int(rec, ACT_OPPORTUNITY, (int64_t)cx->oid[opp]);
		} else {
			g->st.brand_without_opp++;
		}
		int days = type == AT_EXHIBITION ? rng_range(r, 2, 3) : type == AT_BANQUET ? 1 : rng_range(r, 1, 2);
		int guests = type == AT_EXHIBITION ? rng_range(r, 10, 40) : rng_range(r, 2, 12);
		int cost = type == AT_BANQUET ? rng_range(r, 8, 20) * 100 : rng_range(r, 5, 30) * 100;
		int fixed = type == AT_EXHIBITION ? rng_range(r, 5, 20) * 10000 : rng_range(r, 0, 10) * 2000;
		record_set_int(rec, ACT_DURATION, days);
		record_set_int(rec, ACT_GUESTS, guests);
		record_set_int(rec, ACT_DAYS, days);
		record_set_int(rec, ACT_COST_PER_GUEST_DAY, (int64_t)cost * 100);
		record_set_int(rec, ACT_FIXED_COST, (int64_t)fixed * 100);
		if (date < GEN_TODAY)
			record_set_int(rec, ACT_ACTUAL_COST,
				       ((int64_t)guests * days * cost + fixed) * (85 + rng_below(r, 30)));
	}
	record_set_int(rec, ACT_DATE, date);
	int evening = type == AT_PRIVATE_VISIT || type == AT_BANQUET;
	record_set_int(rec, ACT_TIME, evening ? 18 * 60 + 30 * rng_below(r, 3) : 9 * 60 + 30 * rng_below(r, 17));
	char list[256];
	int first;
	int ncont = type == AT_EXHIBITION || type == AT_EXECUTIVE_VISIT ? rng_range(r, 2, 5) : rng_range(r, 1, 2);
	activity_contacts(g, date, ncont, list, sizeof list, &first);
	if (list[0])
		record_set_text(rec, ACT_CONTACTS, list);
	if (opp >= 0)
		set_textf(rec, ACT_TITLE, "%s: %s", gen_activity_labels[type], gen_offerings[cx->ooffer[opp]].name);
	else if (first >= 0)
		set_textf(rec, ACT_TITLE, "%s %s", gen_activity_labels[type], cx->cname[first]);
	else
		record_set_text(rec, ACT_TITLE, gen_activity_labels[type]);
	uint32_t helper = pick_am(g, r, a->province, 0);
	if (type == AT_EXECUTIVE_VISIT && g->by_function[FN_EXEC].n)
		helper = pick_from(r, &g->by_function[FN_EXEC]);
	if (helper != a->kam)
		set_textf(rec, ACT_STAFF, "%u;%u", a->kam < helper ? a->kam : helper,
			  a->kam < helper ? helper : a->kam);
	else
		set_textf(rec, ACT_STAFF, "%u", a->kam);
	const char *status;
	if (date < GEN_TODAY)
		status = rng_chance(r, 0.9) ? "done" : "cancelled";
	else
		status = rng_chance(r, 0.7) ? "planned" : "confirmed";
	record_set_text(rec, ACT_STATUS, status);
	if (!strcmp(status, "done") && rng_chance(r, 0.5))
		record_set_text(rec, ACT_OUTCOME, gen_outcomes[rng_below(r, gen_noutcomes)]);
	PUT(ENT_activity, rec);
	return 0;
}

static int emit_complaints(struct gen *g, uint64_t aid)
{
	struct rng *r = &g->r;
	struct actx *cx = &g->cx;
	int n = rng_chance(r, 0.3) ? rng_range(r, 1, 2) : 0;
	for (int k = 0; k < n; k++) {
		struct record *rec = rec_new(g, ENT_complaint);
		int64_t opened = date_between(r, 20250601, 20261120);
		record_set_int(rec, CMP_ACCOUNT, (int64_t)aid);
		record_set_int(rec, CMP_CONTACT, (int64_t)cx->cid[rng_below(r, cx->nc)]);
		record_set_int(rec, CMP_OPENED, opened);
		record_set_text(rec, CMP_SEVERITY, kam_enum_severity[rng_pick(r, (const int[]){30, 40, 20, 10}, 4)]);
		record_set_text(rec, CMP_CHANNEL, kam_enum_channel[rng_below(r, 5)]);
		/* Most are resolved; some stay open long past any SLA (check 9). */
		int st =
		    opened < 20261001 ? (rng_chance(r, 0.85) ? 2 + rng_below(r, 2) : rng_below(r, 2)) : rng_below(r, 4);
		record_set_text(rec, CMP_STATUS, kam_enum_complaint_status[st]);
		if (st >= 2) {
			int64_t res = date_add(opened, rng_range(r, 1, 30));
			record_set_int(rec, CMP_RESOLVED, res < GEN_TODAY ? res : GEN_TODAY);
		}
		record_set_text(rec, CMP_NOTES, gen_complaint_notes[rng_below(r, gen_ncomplaint_notes)]);
		PUT(ENT_complaint, rec);
	}
	return 0;
}

/* Plans of key accounts for 2026 and 2027; a few miss a section (check 13). */
static int emit_plans(struct gen *g, uint64_t aid, const struct gacct *a)
{
	struct rng *r = &g->r;
	if (!a->key)
		return 0;
	for (int year = 2026; year <= 2027; year++) {
		struct record *rec = rec_new(g, ENT_plan);
		record_set_int(rec, PLAN_ACCOUNT, (int64_t)aid);
		record_set_int(rec, PLAN_YEAR, year);
		int gap = rng_chance(r, 0.1) ? rng_below(r, 3) : -1;
		if (gap != 0)
			set_textf(rec, PLAN_PROFILE, "%s客户, %s, 采购模式%s", kam_enum_industry[a->industry],
				  kam_enum_position[a->position], kam_enum_procurement[a->procurement]);
		if (gap != 1)
			record_set_text(rec, PLAN_DECISION_PROCESS, "总经理办公会决策, 信息技术部立项, 采购部招标");
		double price = a->rev * 1.2;
		record_set_text(rec, PLAN_PRODUCT_MIX, "网络 + 云 + 运维服务");
		record_set_int(rec, PLAN_PRICE, money(price, 1e4));
		record_set_int(rec, PLAN_COST, money(price * 0.78, 1e4));
		record_set_int(rec, PLAN_PROFIT, money(price * 0.22, 1e4));
		record_set_text(rec, PLAN_BENEFITS, "运维成本下降15%, 故障恢复时间缩短一半");
		int goal = rng_below(r, gen_nplan_goals);
		if (gap != 2)
			record_set_text(rec, PLAN_GOALS, gen_plan_goals[goal]);
		PUT(ENT_plan, rec);
		int na = rng_range(r, 2, 4);
		for (int k = 0; k < na; k++) {
			struct record *pa = rec_new(g, ENT_plan_action);
			record_set_int(pa, PA_ACCOUNT, (int64_t)aid);
			record_set_int(pa, PA_YEAR, year);
			record_set_text(pa, PA_GOAL, gen_plan_goals[goal]);
			record_set_text(pa, PA_ACTION, gen_plan_actions[rng_below(r, gen_nplan_actions)]);
			record_set_int(pa, PA_OWNER, k == 0 ? a->kam : pick_am(g, r, a->province, 0));
			int64_t due = date_between(r, year * 10000 + 201, year * 10000 + 1215);
			record_set_int(pa, PA_DUE, due);
			record_set_text(pa, PA_STATUS,
					due < GEN_TODAY ? (rng_chance(r, 0.8) ? "done" : "open")
							: (rng_chance(r, 0.95) ? "open" : "dropped"));
			PUT(ENT_plan_action, pa);
		}
	}
	return 0;
}

static int emit_family_member(struct gen *g, uint64_t i)
{
	struct gacct *a = &g->acc[i];
	uint64_t aid = i + 1;
	struct actx *cx = &g->cx;
	int rc;
	actx_reserve(cx, (int)a->ncontacts, (int)a->nopps);
	cx->nc = (int)a->ncontacts;
	cx->no = 0;
	if ((rc = emit_account(g, a)) || (rc = emit_account_years(g, a, aid)) || (rc = emit_contacts(g, aid, a)) ||
	    (rc = emit_opportunities(g, aid, a)) || (rc = emit_team(g, aid, a)))
		return rc;
	for (uint32_t k = 0; k < a->nacts; k++)
		if ((rc = emit_activity(g, aid, a)))
			return rc;
	if ((rc = emit_complaints(g, aid)) || (rc = emit_plans(g, aid, a)))
		return rc;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* API */

int gen_size_parse(const char *scale, struct gen_size *out)
{
	static const struct {
		const char *name;
		struct gen_size size;
	} scales[] = {
	    {"S", {200, 2000, 2000, 5000}},
	    {"M", {10000, 100000, 100000, 200000}},
	    {"L", {100000, 1000000, 1000000, 2000000}},
	};
	for (int i = 0; i < NELEM(scales); i++)
		if (!strcasecmp(scale, scales[i].name)) {
			*out = scales[i].size;
			return 0;
		}
	return KAM_EINVAL;
}

const char *gen_ext_prefix(const struct entity *e)
{
	static const char *const prefix[ENT__COUNT] = {
	    [ENT_account] = "A",      [ENT_account_year] = "AY", [ENT_contact] = "C",    [ENT_account_contact] = "AC",
	    [ENT_influence] = "IN",   [ENT_staff] = "S",         [ENT_team] = "T",       [ENT_opportunity] = "O",
	    [ENT_opp_contact] = "OC", [ENT_activity] = "ACT",    [ENT_complaint] = "CP", [ENT_plan] = "P",
	    [ENT_plan_action] = "PA",
	};
	for (int i = 0; i < ENT__COUNT; i++)
		if (kam_entities[i] == e)
			return prefix[i];
	return "X";
}

static void gen_free(struct gen *g)
{
	for (int i = 0; i < FN__N; i++)
		free(g->by_function[i].v);
	for (int i = 0; i < NELEM(g->am_by_province); i++)
		free(g->am_by_province[i].v);
	free(g->active_am.v);
	free(g->staff);
	free(g->acc);
	actx_free(&g->cx);
}

int gen_run(const struct gen_size *size, uint64_t seed, gen_emit_fn emit, void *arg, struct gen_stats *stats,
	    char **cause)
{
	if (!size->accounts || size->accounts > UINT32_MAX / 4 || size->contacts < 2 * size->accounts ||
	    size->opportunities < 2 * size->accounts || size->activities < size->accounts ||
	    size->contacts / size->accounts > 10000 || size->opportunities / size->accounts > 10000)
		return set_cause(cause, KAM_EINVAL,
				 "gen: need at least 2 contacts, 2 opportunities and 1 activity per account");
	struct gen g;
	memset(&g, 0, sizeof g);
	g.size = size;
	g.emit = emit;
	g.arg = arg;
	rng_seed(&g.plan, seed, 1);
	rng_seed(&g.r, seed, 2);
	plan(&g);
	int rc = emit_staff(&g);
	for (uint64_t i = 0; i < g.nacc && !rc; i++)
		rc = emit_family_member(&g, i);
	if (stats)
		*stats = g.st;
	gen_free(&g);
	return rc;
}
