/*
 * ident_tables.c
 *	  Reference data for the identifier codes, kept as data: GB 32100-2015
 *	  registration departments and their organisation categories, and the
 *	  GB/T 2260 province-level codes.  Exposed in SQL as the views
 *	  credit.uscc_department, credit.uscc_category and credit.province.
 *	  No PostgreSQL headers; strings are UTF-8.
 */
#include "ident_core.h"

#define NCAT(a) ((int) (sizeof(a) / sizeof((a)[0])))

static const credit_category cat_1[] = {
	{'1', "机关"}, {'2', "事业单位"}, {'3', "中央编办直接管理机构编制的群众团体"}, {'9', "其他"}
};
static const credit_category cat_2[] = {
	{'1', "外国常驻新闻机构"}, {'9', "其他"}
};
static const credit_category cat_3[] = {
	{'1', "律师执业机构"}, {'2', "公证处"}, {'3', "基层法律服务所"},
	{'4', "司法鉴定机构"}, {'5', "仲裁委员会"}, {'9', "其他"}
};
static const credit_category cat_4[] = {
	{'1', "外国在华文化中心"}, {'9', "其他"}
};
static const credit_category cat_5[] = {
	{'1', "社会团体"}, {'2', "民办非企业单位"}, {'3', "基金会"}, {'9', "其他"}
};
static const credit_category cat_6[] = {
	{'1', "外国旅游部门常驻代表机构"}, {'2', "港澳台地区旅游部门常驻内地（大陆）代表机构"}, {'9', "其他"}
};
static const credit_category cat_7[] = {
	{'1', "宗教活动场所"}, {'2', "宗教院校"}, {'9', "其他"}
};
static const credit_category cat_8[] = {
	{'1', "基层工会"}, {'9', "其他"}
};
static const credit_category cat_9[] = {
	{'1', "企业"}, {'2', "个体工商户"}, {'3', "农民专业合作社"}
};
static const credit_category cat_A[] = {
	{'1', "军队事业单位"}, {'9', "其他"}
};
static const credit_category cat_N[] = {
	{'1', "组级集体经济组织"}, {'2', "村级集体经济组织"}, {'3', "乡镇级集体经济组织"}, {'9', "其他"}
};
static const credit_category cat_Y[] = {
	{'1', "其他"}
};

const credit_department credit_departments[] = {
	{'1', "机构编制", NCAT(cat_1), cat_1},
	{'2', "外交", NCAT(cat_2), cat_2},
	{'3', "司法行政", NCAT(cat_3), cat_3},
	{'4', "文化", NCAT(cat_4), cat_4},
	{'5', "民政", NCAT(cat_5), cat_5},
	{'6', "旅游", NCAT(cat_6), cat_6},
	{'7', "宗教", NCAT(cat_7), cat_7},
	{'8', "工会", NCAT(cat_8), cat_8},
	{'9', "工商/市场监管", NCAT(cat_9), cat_9},
	{'A', "中央军委改革和编制办公室", NCAT(cat_A), cat_A},
	{'N', "农业", NCAT(cat_N), cat_N},
	{'Y', "其他", NCAT(cat_Y), cat_Y},
};
const int	credit_ndepartments = NCAT(credit_departments);

#define U CREDIT_PROVINCE_USCC
#define R CREDIT_PROVINCE_RID

const credit_province credit_provinces[] = {
	{"10", "中央", U},
	{"11", "北京市", U | R},
	{"12", "天津市", U | R},
	{"13", "河北省", U | R},
	{"14", "山西省", U | R},
	{"15", "内蒙古自治区", U | R},
	{"21", "辽宁省", U | R},
	{"22", "吉林省", U | R},
	{"23", "黑龙江省", U | R},
	{"31", "上海市", U | R},
	{"32", "江苏省", U | R},
	{"33", "浙江省", U | R},
	{"34", "安徽省", U | R},
	{"35", "福建省", U | R},
	{"36", "江西省", U | R},
	{"37", "山东省", U | R},
	{"41", "河南省", U | R},
	{"42", "湖北省", U | R},
	{"43", "湖南省", U | R},
	{"44", "广东省", U | R},
	{"45", "广西壮族自治区", U | R},
	{"46", "海南省", U | R},
	{"50", "重庆市", U | R},
	{"51", "四川省", U | R},
	{"52", "贵州省", U | R},
	{"53", "云南省", U | R},
	{"54", "西藏自治区", U | R},
	{"61", "陕西省", U | R},
	{"62", "甘肃省", U | R},
	{"63", "青海省", U | R},
	{"64", "宁夏回族自治区", U | R},
	{"65", "新疆维吾尔自治区", U | R},
	{"71", "台湾省", U | R},
	{"81", "香港特别行政区", U | R},
	{"82", "澳门特别行政区", U | R},
	{"83", "台湾居民（港澳台居民居住证）", R},
};
const int	credit_nprovinces = NCAT(credit_provinces);

const credit_department *
credit_find_department(uint32_t code)
{
	int			i;

	for (i = 0; i < credit_ndepartments; i++)
		if ((uint32_t) (unsigned char) credit_departments[i].code == code)
			return &credit_departments[i];
	return NULL;
}

const credit_category *
credit_find_category(uint32_t dept, uint32_t cat)
{
	const credit_department *d = credit_find_department(dept);
	int			i;

	if (d == NULL)
		return NULL;
	for (i = 0; i < d->ncategories; i++)
		if ((uint32_t) (unsigned char) d->categories[i].code == cat)
			return &d->categories[i];
	return NULL;
}

const credit_province *
credit_find_province(uint32_t d1, uint32_t d2, int scope)
{
	int			i;

	for (i = 0; i < credit_nprovinces; i++)
		if ((uint32_t) (unsigned char) credit_provinces[i].code[0] == d1 &&
			(uint32_t) (unsigned char) credit_provinces[i].code[1] == d2 &&
			(credit_provinces[i].scope & scope))
			return &credit_provinces[i];
	return NULL;
}
