/* Header and value aliases: how Salesforce, SuiteCRM and Chinese
 * spreadsheets name kam's fields and enum values. One table each, so that
 * adding a spelling is one line. */
#include "kam/io.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Targets starting with '@' are columns that are not fields. */
struct header_alias {
	int ent; /* ENT_* or -1 for every entity */
	const char *header;
	const char *target;
};

static const struct header_alias header_aliases[] = {
    /* every entity: kam's own meta columns and external ids */
    {-1, "id", "@id"},
    {-1, "version", "@version"},
    {-1, "created", "@created"},
    {-1, "updated", "@updated"},
    {-1, "updated_by", "@updated_by"},
    {-1, "ext_id", "@ext_id"},
    {-1, "external_id", "@ext_id"},
    {-1, "外部编号", "@ext_id"},
    {-1, "entity", "@entity"},
    {-1, "备注", "notes"},
    {-1, "Description", "notes"},
    /* system columns of Salesforce and SuiteCRM exports: no kam field */
    {-1, "IsDeleted", "@ignore"},
    {-1, "CreatedDate", "@ignore"},
    {-1, "CreatedById", "@ignore"},
    {-1, "LastModifiedDate", "@ignore"},
    {-1, "LastModifiedById", "@ignore"},
    {-1, "SystemModstamp", "@ignore"},
    {-1, "LastActivityDate", "@ignore"},
    {-1, "LastViewedDate", "@ignore"},
    {-1, "LastReferencedDate", "@ignore"},
    {-1, "date_entered", "@ignore"},
    {-1, "date_modified", "@ignore"},
    {-1, "modified_user_id", "@ignore"},
    {-1, "created_by", "@ignore"},
    {-1, "deleted", "@ignore"},
    {-1, "OwnerName", "@ignore"},
    {-1, "RecordTypeId", "@ignore"},
    {-1, "MasterRecordId", "@ignore"},
    {-1, "modified_by_name", "@ignore"},
    {-1, "created_by_name", "@ignore"},
    {-1, "assigned_user_name", "@ignore"},
    /* standard columns of other CRMs that kam has no field for */
    {ENT_account, "Phone", "@ignore"},
    {ENT_account, "Fax", "@ignore"},
    {ENT_account, "Website", "@ignore"},
    {ENT_account, "Type", "@ignore"},
    {ENT_account, "Rating", "@ignore"},
    {ENT_account, "Ownership", "@ignore"},
    {ENT_account, "TickerSymbol", "@ignore"},
    {ENT_account, "Sic", "@ignore"},
    {ENT_account, "AccountNumber", "@ignore"},
    {ENT_account, "AccountSource", "@ignore"},
    {ENT_account, "Site", "@ignore"},
    {ENT_account, "BillingStreet", "@ignore"},
    {ENT_account, "BillingPostalCode", "@ignore"},
    {ENT_account, "BillingCountry", "@ignore"},
    {ENT_account, "ShippingStreet", "@ignore"},
    {ENT_account, "ShippingCity", "@ignore"},
    {ENT_account, "ShippingState", "@ignore"},
    {ENT_account, "ShippingPostalCode", "@ignore"},
    {ENT_account, "ShippingCountry", "@ignore"},
    {ENT_account, "phone_office", "@ignore"},
    {ENT_account, "phone_fax", "@ignore"},
    {ENT_account, "account_type", "@ignore"},
    {ENT_account, "billing_address_street", "@ignore"},
    {ENT_account, "billing_address_postalcode", "@ignore"},
    {ENT_account, "billing_address_country", "@ignore"},
    {ENT_account, "shipping_address_street", "@ignore"},
    {ENT_account, "shipping_address_city", "@ignore"},
    {ENT_account, "shipping_address_state", "@ignore"},
    {ENT_account, "shipping_address_postalcode", "@ignore"},
    {ENT_account, "shipping_address_country", "@ignore"},
    {ENT_account, "ticker_symbol", "@ignore"},
    {ENT_account, "sic_code", "@ignore"},
    {ENT_contact, "Salutation", "@ignore"},
    {ENT_contact, "MailingStreet", "@ignore"},
    {ENT_contact, "MailingCity", "@ignore"},
    {ENT_contact, "MailingState", "@ignore"},
    {ENT_contact, "MailingPostalCode", "@ignore"},
    {ENT_contact, "MailingCountry", "@ignore"},
    {ENT_contact, "Fax", "@ignore"},
    {ENT_contact, "LeadSource", "@ignore"},
    {ENT_contact, "AssistantName", "@ignore"},
    {ENT_contact, "AssistantPhone", "@ignore"},
    {ENT_contact, "HomePhone", "@ignore"},
    {ENT_contact, "OtherPhone", "@ignore"},
    {ENT_contact, "primary_address_street", "@ignore"},
    {ENT_contact, "primary_address_city", "@ignore"},
    {ENT_contact, "primary_address_state", "@ignore"},
    {ENT_contact, "primary_address_postalcode", "@ignore"},
    {ENT_contact, "primary_address_country", "@ignore"},
    {ENT_contact, "phone_home", "@ignore"},
    {ENT_contact, "phone_other", "@ignore"},
    {ENT_contact, "phone_fax", "@ignore"},
    {ENT_contact, "assistant", "@ignore"},
    {ENT_opportunity, "Type", "@ignore"},
    {ENT_opportunity, "LeadSource", "@ignore"},
    {ENT_opportunity, "NextStep", "@ignore"},
    {ENT_opportunity, "ForecastCategory", "@ignore"},
    {ENT_opportunity, "ForecastCategoryName", "@ignore"},
    {ENT_opportunity, "IsClosed", "@ignore"},
    {ENT_opportunity, "IsWon", "@ignore"},
    {ENT_opportunity, "ExpectedRevenue", "@ignore"},
    {ENT_opportunity, "TotalOpportunityQuantity", "@ignore"},
    {ENT_opportunity, "CampaignId", "@ignore"},
    {ENT_opportunity, "Pricebook2Id", "@ignore"},
    {ENT_opportunity, "HasOpportunityLineItem", "@ignore"},
    {ENT_opportunity, "opportunity_type", "@ignore"},
    {ENT_opportunity, "next_step", "@ignore"},
    {ENT_opportunity, "campaign_id", "@ignore"},
    {ENT_opportunity, "amount_usdollar", "@ignore"},
    {ENT_opportunity, "CurrencyIsoCode", "currency"},
    {ENT_opportunity, "币种", "currency"},

    {ENT_account, "Account Name", "name"},
    {ENT_account, "BillingCity", "city"},
    {ENT_account, "BillingState", "province"},
    {ENT_account, "BillingProvince", "province"},
    {ENT_account, "billing_address_city", "city"},
    {ENT_account, "billing_address_state", "province"},
    {ENT_account, "ParentId", "parent"},
    {ENT_account, "Parent Account", "parent"},
    {ENT_account, "NumberOfEmployees", "employees"},
    /* the customer's own turnover: kam keeps budgets per year instead */
    {ENT_account, "AnnualRevenue", "@ignore"},
    {ENT_account, "annual_revenue", "@ignore"},
    {ENT_account, "OwnerId", "kam"},
    {ENT_account, "assigned_user_id", "kam"},
    {ENT_account, "客户名称", "name"},
    {ENT_account, "名称", "name"},
    {ENT_account, "简称", "short_name"},
    {ENT_account, "上级单位", "parent"},
    {ENT_account, "行业", "industry"},
    {ENT_account, "省份", "province"},
    {ENT_account, "省", "province"},
    {ENT_account, "城市", "city"},
    {ENT_account, "规模", "scale"},
    {ENT_account, "员工数", "employees"},
    {ENT_account, "行业地位", "position"},
    {ENT_account, "采购模式", "procurement"},
    {ENT_account, "关系阶段", "stage"},
    {ENT_account, "客户经理", "kam"},
    {ENT_account, "重点客户", "key"},

    {ENT_contact, "FirstName", "@first"},
    {ENT_contact, "LastName", "@last"},
    {ENT_contact, "MobilePhone", "@phone2"},
    {ENT_contact, "phone_work", "phone"},
    {ENT_contact, "phone_mobile", "@phone2"},
    {ENT_contact, "email1", "email"},
    {ENT_contact, "ReportsToId", "reports_to"},
    {ENT_contact, "AccountId", "@account"},
    {ENT_contact, "account_name", "@account"},
    {ENT_contact, "account", "@account"},
    {ENT_contact, "姓名", "name"},
    {ENT_contact, "职务", "title"},
    {ENT_contact, "职位", "title"},
    {ENT_contact, "部门", "department"},
    {ENT_contact, "电话", "phone"},
    {ENT_contact, "手机", "@phone2"},
    {ENT_contact, "邮箱", "email"},
    {ENT_contact, "电子邮件", "email"},
    {ENT_contact, "上级", "reports_to"},
    {ENT_contact, "客户", "@account"},
    {ENT_contact, "客户名称", "@account"},

    {ENT_opportunity, "Name", "title"},
    {ENT_opportunity, "Opportunity Name", "title"},
    {ENT_opportunity, "AccountId", "account"},
    {ENT_opportunity, "account_name", "account"},
    {ENT_opportunity, "StageName", "stage"},
    {ENT_opportunity, "sales_stage", "stage"},
    {ENT_opportunity, "CloseDate", "decision_date"},
    {ENT_opportunity, "date_closed", "decision_date"},
    {ENT_opportunity, "FiscalYear", "year"},
    {ENT_opportunity, "OwnerId", "owner"},
    {ENT_opportunity, "assigned_user_id", "owner"},
    {ENT_opportunity, "机会名称", "title"},
    {ENT_opportunity, "客户", "account"},
    {ENT_opportunity, "客户名称", "account"},
    {ENT_opportunity, "金额", "amount"},
    {ENT_opportunity, "阶段", "stage"},
    {ENT_opportunity, "赢率", "probability"},
    {ENT_opportunity, "预计决策日期", "decision_date"},
    {ENT_opportunity, "决策日期", "decision_date"},
    {ENT_opportunity, "年度", "year"},
    {ENT_opportunity, "产品线", "offering"},
    {ENT_opportunity, "预算科目", "budget_line"},
    {ENT_opportunity, "竞争对手", "competitors"},
    {ENT_opportunity, "状态", "status"},

    {ENT_account_year, "客户", "account"},
    {ENT_account_year, "客户名称", "account"},
    {ENT_account_year, "年度", "year"},
    {ENT_account_year, "预算", "budget"},
    {ENT_account_year, "收入", "revenue"},
    {ENT_account_year, "毛利率", "margin"},

    {ENT_staff, "姓名", "name"},
    {ENT_staff, "登录名", "login"},
    {ENT_staff, "部门", "department"},
    {ENT_staff, "区域", "region"},

    {ENT_activity, "客户", "account"},
    {ENT_activity, "日期", "date"},
    {ENT_activity, "类型", "type"},
    {ENT_activity, "主题", "title"},
    {ENT_activity, "Subject", "title"},
    {ENT_activity, "ActivityDate", "date"},
};

#define NHEADER_ALIASES (sizeof header_aliases / sizeof header_aliases[0])

static const struct {
	const char *name;
	int col;
} special_cols[] = {
    {"@ignore", IO_COL_IGNORE},   {"@id", IO_COL_ID},
    {"@version", IO_COL_VERSION}, {"@created", IO_COL_CREATED},
    {"@updated", IO_COL_UPDATED}, {"@updated_by", IO_COL_UPDATED_BY},
    {"@ext_id", IO_COL_EXT_ID},   {"@first", IO_COL_FIRST_NAME},
    {"@last", IO_COL_LAST_NAME},  {"@account", IO_COL_ACCOUNT},
    {"@phone2", IO_COL_PHONE2},   {"@entity", IO_COL_ENTITY},
};

/* Value aliases; field2/to2 name a second field an alias implies. */
struct enum_alias {
	int ent;
	const char *field;
	const char *from;
	const char *to;
	const char *field2;
	const char *to2;
};

static const struct enum_alias enum_aliases[] = {
    {ENT_opportunity, "stage", "Prospecting", "lead", NULL, NULL},
    {ENT_opportunity, "stage", "Qualification", "qualify", NULL, NULL},
    {ENT_opportunity, "stage", "Needs Analysis", "qualify", NULL, NULL},
    {ENT_opportunity, "stage", "Id. Decision Makers", "qualify", NULL, NULL},
    {ENT_opportunity, "stage", "Perception Analysis", "qualify", NULL, NULL},
    {ENT_opportunity, "stage", "Value Proposition", "proposal", NULL, NULL},
    {ENT_opportunity, "stage", "Proposal/Price Quote", "proposal", NULL, NULL},
    {ENT_opportunity, "stage", "Negotiation/Review", "negotiate", NULL, NULL},
    {ENT_opportunity, "stage", "Closed Won", "closed", "status", "won"},
    {ENT_opportunity, "stage", "Closed Lost", "closed", "status", "lost"},
    {ENT_opportunity, "stage", "线索", "lead", NULL, NULL},
    {ENT_opportunity, "stage", "初步接触", "lead", NULL, NULL},
    {ENT_opportunity, "stage", "需求确认", "qualify", NULL, NULL},
    {ENT_opportunity, "stage", "验证", "qualify", NULL, NULL},
    {ENT_opportunity, "stage", "方案", "proposal", NULL, NULL},
    {ENT_opportunity, "stage", "方案报价", "proposal", NULL, NULL},
    {ENT_opportunity, "stage", "报价", "proposal", NULL, NULL},
    {ENT_opportunity, "stage", "谈判", "negotiate", NULL, NULL},
    {ENT_opportunity, "stage", "商务谈判", "negotiate", NULL, NULL},
    {ENT_opportunity, "stage", "承诺", "commit", NULL, NULL},
    {ENT_opportunity, "stage", "赢单", "closed", "status", "won"},
    {ENT_opportunity, "stage", "丢单", "closed", "status", "lost"},
    {ENT_opportunity, "stage", "输单", "closed", "status", "lost"},
    {ENT_opportunity, "status", "赢单", "won", NULL, NULL},
    {ENT_opportunity, "status", "丢单", "lost", NULL, NULL},
    {ENT_opportunity, "status", "进行中", "open", NULL, NULL},

    {ENT_account, "industry", "Banking", "bank", NULL, NULL},
    {ENT_account, "industry", "Finance", "bank", NULL, NULL},
    {ENT_account, "industry", "Telecommunications", "carrier", NULL, NULL},
    {ENT_account, "industry", "Communications", "carrier", NULL, NULL},
    {ENT_account, "industry", "Utilities", "power", NULL, NULL},
    {ENT_account, "industry", "Transportation", "transport", NULL, NULL},
    {ENT_account, "industry", "Technology", "internet", NULL, NULL},
    {ENT_account, "industry", "运营商", "carrier", NULL, NULL},
    {ENT_account, "industry", "电信", "carrier", NULL, NULL},
    {ENT_account, "industry", "通信", "carrier", NULL, NULL},
    {ENT_account, "industry", "银行", "bank", NULL, NULL},
    {ENT_account, "industry", "金融", "bank", NULL, NULL},
    {ENT_account, "industry", "保险", "insurance", NULL, NULL},
    {ENT_account, "industry", "电力", "power", NULL, NULL},
    {ENT_account, "industry", "电网", "power", NULL, NULL},
    {ENT_account, "industry", "能源", "energy", NULL, NULL},
    {ENT_account, "industry", "制造", "manufacturing", NULL, NULL},
    {ENT_account, "industry", "制造业", "manufacturing", NULL, NULL},
    {ENT_account, "industry", "政府", "government", NULL, NULL},
    {ENT_account, "industry", "交通", "transport", NULL, NULL},
    {ENT_account, "industry", "医疗", "healthcare", NULL, NULL},
    {ENT_account, "industry", "教育", "education", NULL, NULL},
    {ENT_account, "industry", "互联网", "internet", NULL, NULL},
    {ENT_account, "industry", "其他", "other", NULL, NULL},
    {ENT_account, "scale", "特大型", "xl", NULL, NULL},
    {ENT_account, "scale", "特大", "xl", NULL, NULL},
    {ENT_account, "scale", "大型", "l", NULL, NULL},
    {ENT_account, "scale", "大", "l", NULL, NULL},
    {ENT_account, "scale", "中型", "m", NULL, NULL},
    {ENT_account, "scale", "中", "m", NULL, NULL},
    {ENT_account, "scale", "小型", "s", NULL, NULL},
    {ENT_account, "scale", "小", "s", NULL, NULL},
    {ENT_account, "procurement", "集中采购", "centralized", NULL, NULL},
    {ENT_account, "procurement", "统一采购", "centralized", NULL, NULL},
    {ENT_account, "procurement", "集采", "centralized", NULL, NULL},
    {ENT_account, "procurement", "分散采购", "decentralized", NULL, NULL},
    {ENT_account, "procurement", "混合", "mixed", NULL, NULL},
    {ENT_account, "position", "领导者", "leader", NULL, NULL},
    {ENT_account, "position", "挑战者", "challenger", NULL, NULL},
    {ENT_account, "position", "跟随者", "follower", NULL, NULL},
    {ENT_account, "position", "补缺者", "niche", NULL, NULL},
    {ENT_contact, "status", "在职", "active", NULL, NULL},
    {ENT_contact, "status", "离职", "left", NULL, NULL},
};

#define NENUM_ALIASES (sizeof enum_aliases / sizeof enum_aliases[0])

/* Headers compare without ASCII case, spaces, '_', '-' and '.', so that
 * "Account Name", "account_name" and "AccountName" are one spelling. */
static char *header_norm(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *p = out;
	for (; *s; s++) {
		if (*s == ' ' || *s == '_' || *s == '-' || *s == '.' || *s == '\t')
			continue;
		*p++ = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
	}
	*p = 0;
	return out;
}

static int header_eq(const char *norm, const char *candidate)
{
	char *c = header_norm(candidate);
	int eq = !strcmp(norm, c);
	free(c);
	return eq;
}

static int entity_ix(const struct entity *e)
{
	for (int i = 0; i < ENT__COUNT; i++)
		if (kam_entities[i] == e)
			return i;
	return -1;
}

static int alias_target(const struct entity *e, const char *target)
{
	if (target[0] != '@')
		return entity_field(e, target);
	for (size_t i = 0; i < sizeof special_cols / sizeof special_cols[0]; i++)
		if (!strcmp(special_cols[i].name, target))
			return special_cols[i].col;
	return IO_COL_UNKNOWN;
}

int io_alias_column(const struct entity *e, const char *header)
{
	char *norm = header_norm(header);
	int col = IO_COL_UNKNOWN, ei = entity_ix(e);
	/* Entity-specific aliases first: "Name" of an opportunity is its title. */
	for (size_t i = 0; i < NHEADER_ALIASES && col == IO_COL_UNKNOWN; i++)
		if (header_aliases[i].ent == ei && header_eq(norm, header_aliases[i].header))
			col = alias_target(e, header_aliases[i].target);
	for (int f = 0; f < e->nfields && col == IO_COL_UNKNOWN; f++)
		if (header_eq(norm, e->fields[f].name))
			col = f;
	for (size_t i = 0; i < NHEADER_ALIASES && col == IO_COL_UNKNOWN; i++)
		if (header_aliases[i].ent == -1 && header_eq(norm, header_aliases[i].header))
			col = alias_target(e, header_aliases[i].target);
	free(norm);
	return col;
}

const char *io_column_name(const struct entity *e, int col)
{
	if (col >= 0)
		return e->fields[col].name;
	switch (col) {
	case IO_COL_ID:
		return "id";
	case IO_COL_VERSION:
		return "version";
	case IO_COL_CREATED:
		return "created";
	case IO_COL_UPDATED:
		return "updated";
	case IO_COL_UPDATED_BY:
		return "updated_by";
	case IO_COL_EXT_ID:
		return "ext_id";
	case IO_COL_FIRST_NAME:
		return "first name";
	case IO_COL_LAST_NAME:
		return "last name";
	case IO_COL_ACCOUNT:
		return "account";
	case IO_COL_PHONE2:
		return "second phone";
	case IO_COL_ENTITY:
		return "entity";
	default:
		return "(ignored)";
	}
}

char *io_unknown_column_msg(const struct entity *e, const char *header)
{
	const char *names[128];
	int n = 0, ei = entity_ix(e);
	for (int f = 0; f < e->nfields && n < 100; f++)
		names[n++] = e->fields[f].name;
	for (size_t i = 0; i < NHEADER_ALIASES && n < 127; i++)
		if ((header_aliases[i].ent == ei || header_aliases[i].ent == -1) &&
		    strcmp(header_aliases[i].target, "@ignore"))
			names[n++] = header_aliases[i].header;
	names[n] = NULL;
	const char *near = nearest_word(header, names);
	if (near)
		return xasprintf("unknown column '%s' for %s (did you mean '%s'?)", header, e->name, near);
	return xasprintf("unknown column '%s' for %s (use --map '%s=FIELD')", header, e->name, header);
}

const char *io_alias_enum(const struct entity *e, int field, const char *value, int *field2, const char **value2)
{
	const struct field *fd = &e->fields[field];
	int ei = entity_ix(e);
	*field2 = -1;
	*value2 = NULL;
	for (size_t i = 0; i < NENUM_ALIASES; i++) {
		const struct enum_alias *a = &enum_aliases[i];
		if (a->ent != ei || strcmp(a->field, fd->name) || strcasecmp(a->from, value))
			continue;
		if (a->field2) {
			*field2 = entity_field(e, a->field2);
			*value2 = a->to2;
		}
		return a->to;
	}
	/* "Bank", "Closed", "HIGH": the code itself in another case */
	for (int i = 0; fd->enums && fd->enums[i]; i++)
		if (!strcasecmp(fd->enums[i], value))
			return fd->enums[i];
	return NULL;
}

enum io_format io_format_by_name(const char *name)
{
	if (!name)
		return IO_AUTO;
	if (!strcmp(name, "csv"))
		return IO_CSV;
	if (!strcmp(name, "jsonl") || !strcmp(name, "json") || !strcmp(name, "ndjson"))
		return IO_JSONL;
	return IO_AUTO;
}

enum io_format io_format_guess(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return IO_AUTO;
	return io_format_by_name(dot + 1);
}

void io_entity_order(int order[ENT__COUNT])
{
	/* Every REF points to an entity earlier in this list (or to its own). */
	static const int fixed[ENT__COUNT] = {
	    ENT_staff,     ENT_account,     ENT_account_year, ENT_contact,     ENT_account_contact,
	    ENT_influence, ENT_opportunity, ENT_team,         ENT_opp_contact, ENT_activity,
	    ENT_complaint, ENT_plan,        ENT_plan_action,
	};
	memcpy(order, fixed, sizeof fixed);
}
