/**
 * The statistics' measures, defined once: the API's field descriptions, the `statisticsMeasures`
 * query the dashboard reads its labels from, the export's columns and docs/statistics.md (a test
 * checks the document lists each one) all come from this list.
 */
export type MeasureKind = 'count' | 'rate' | 'ratio';

export interface MeasureDefinition {
  /** The field of StatisticsRow. */
  key: MeasureKey;
  /** Column heading people read. */
  label: string;
  /** How it is computed, in words. */
  formula: string;
  kind: MeasureKind;
}

export type MeasureKey =
  | 'firmsInScope'
  | 'firmsDrawn'
  | 'visits'
  | 'departmentVisits'
  | 'itemsPlanned'
  | 'itemsChecked'
  | 'visitsFinalised'
  | 'completionRate'
  | 'visitsWithProblem'
  | 'problemRate'
  | 'correctionsOrdered'
  | 'correctionsDone'
  | 'correctionsOverdue'
  | 'referralsOpened'
  | 'referralsAccepted'
  | 'referralsClosed'
  | 'referralsOverdue'
  | 'published'
  | 'publishedOnTime'
  | 'publicationRate'
  | 'onTimeRate'
  | 'itemsPerVisit'
  | 'visitsSaved'
  | 'teamPlaces'
  | 'officerWorkload';

export const MEASURES: readonly MeasureDefinition[] = [
  {
    key: 'firmsInScope',
    label: '名录户数',
    formula: '各抽取开启时固定的抽取名录（任务 × 行政区划 × 风险分类）户数之和；按行业、月份分组或筛选时不适用（为空）',
    kind: 'count',
  },
  { key: 'firmsDrawn', label: '实抽户数', formula: '抽中的企业户次（每次抽取每户计一次，频次多于一次的后续轮次不重复计）', kind: 'count' },
  {
    key: 'visits',
    label: '检查户次',
    formula: '上门检查次数，一次联合检查计一次；按部门分组时为该部门参与（有检查事项）的检查次数',
    kind: 'count',
  },
  { key: 'departmentVisits', label: '部门检查户次', formula: '每次检查按参与部门分别计数之和（一次三部门联合检查计 3）', kind: 'count' },
  { key: 'itemsPlanned', label: '应查事项数', formula: '检查中列入的检查事项数（按部门分组时为该部门的事项）', kind: 'count' },
  { key: 'itemsChecked', label: '已查事项数', formula: '已录入检查结果的事项数；按检查结果分组时为该结果的事项数', kind: 'count' },
  { key: 'visitsFinalised', label: '已办结', formula: '状态为已办结的检查户次', kind: 'count' },
  { key: 'completionRate', label: '完成率', formula: '已办结 ÷ 检查户次', kind: 'rate' },
  {
    key: 'visitsWithProblem',
    label: '发现问题户次',
    formula: '有事项结果为“发现问题待后续处理”或“发现问题已责令改正”的检查户次（按部门分组时为该部门的事项）',
    kind: 'count',
  },
  { key: 'problemRate', label: '问题发现率', formula: '发现问题户次 ÷ 已办结', kind: 'rate' },
  { key: 'correctionsOrdered', label: '责令改正', formula: '后续处置措施为“责令改正”的事项数', kind: 'count' },
  { key: 'correctionsDone', label: '已整改', formula: '责令改正中已登记整改完成的事项数', kind: 'count' },
  { key: 'correctionsOverdue', label: '整改逾期', formula: '责令改正未完成且改正期限早于今天（北京时间）的事项数', kind: 'count' },
  { key: 'referralsOpened', label: '移送', formula: '由检查结果移送的问题线索数（按移出部门）', kind: 'count' },
  { key: 'referralsAccepted', label: '移送已接收', formula: '移送中已接收（含已办结）的数量', kind: 'count' },
  { key: 'referralsClosed', label: '移送已办结', formula: '移送中已办结的数量', kind: 'count' },
  { key: 'referralsOverdue', label: '移送逾期', formula: '移送未办结且办理期限早于今天（北京时间）的数量', kind: 'count' },
  { key: 'published', label: '已公示', formula: '已公示结果的检查户次', kind: 'count' },
  { key: 'publishedOnTime', label: '按期公示', formula: '在办结后 20 个工作日内公示的检查户次', kind: 'count' },
  { key: 'publicationRate', label: '公示率', formula: '已公示 ÷ 已办结', kind: 'rate' },
  { key: 'onTimeRate', label: '按期公示率', formula: '按期公示 ÷ 已公示', kind: 'rate' },
  { key: 'itemsPerVisit', label: '户均事项数', formula: '应查事项数 ÷ 检查户次（“进一次门，查多项事”）', kind: 'ratio' },
  {
    key: 'visitsSaved',
    label: '联合检查减少上门',
    formula: '部门检查户次 − 检查户次；按部门分组时为该部门以联合方式完成的检查户次',
    kind: 'count',
  },
  { key: 'teamPlaces', label: '检查组人次', formula: '检查组中执法人员的人次（按部门分组时为该部门人员）', kind: 'count' },
  {
    key: 'officerWorkload',
    label: '人均检查户次',
    formula: '检查组人次 ÷ 所涉部门在岗执法人员数',
    kind: 'ratio',
  },
];

export const MEASURE_BY_KEY = Object.fromEntries(MEASURES.map((m) => [m.key, m])) as Record<MeasureKey, MeasureDefinition>;
