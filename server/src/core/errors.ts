import { isIsoDate } from './dates.js';

/** The error codes a client can rely on (`extensions.code` in GraphQL, `error.code` on HTTP routes). */
export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'UNAUTHENTICATED';

/**
 * A domain error: a stable code, a message meant for the user (Chinese) and details a client may
 * read. Plain — services know nothing of GraphQL; the edge (graphql/errors.ts) maps it once.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Chinese names of input fields, for messages people read; `details.field` keeps the path. */
const FIELD_LABELS: Record<string, string> = {
  username: '用户名',
  password: '密码',
  uscc: '统一社会信用代码',
  id: '编号',
  first: '每页条数',
  after: '游标',
  planId: '计划',
  departmentId: '部门',
  departmentIds: '部门',
  industryIds: '行业',
  regionIds: '区域',
  taskIds: '任务',
  riskClasses: '风险分类',
  problemYear: '问题企业年度',
  groupBy: '分组',
  expiresAt: '有效期至',
  name: '名称',
  scopeText: '抽查对象范围',
  windowFromMonth: '起始月份',
  windowToMonth: '截止月份',
  frequencyPerYear: '频次',
  subscribe: '订阅',
  reason: '理由',
  results: '检查结果',
  problemKinds: '具体情形',
  followUp: '后续处置措施',
  followUpDeadline: '责令改正期限',
  notes: '备注',
  findings: '检查结果',
  scheduledAt: '预约时间',
  mine: '我的检查',
  inspectionId: '检查',
  itemId: '检查事项',
  taskId: '任务',
  description: '问题线索说明',
  dueOn: '办理期限',
  doneOn: '完成日期',
  result: '办理结果',
  findingId: '检查结果',
  toDepartmentId: '接收部门',
  officerId: '执法人员',
  inspectionIds: '检查',
  publicationId: '公示记录',
  correctionId: '更正申请',
  items: '更正事项',
  note: '审核意见',
  enterprise: '企业名称或统一社会信用代码',
  from: '起始日期',
  to: '截止日期',
  year: '年度',
  oldPassword: '原密码',
  newPassword: '新密码',
  displayName: '姓名',
  roles: '角色',
  code: '代码',
  shortName: '简称',
  level: '层级',
  regionId: '区划',
  parentId: '上级市级部门',
  idleMinutes: '无操作自动退出时间',
  passwordMinLength: '密码最短长度',
};

export function fieldLabel(field: string): string {
  const path = field.replace(/^input\./, '');
  if (FIELD_LABELS[path]) return FIELD_LABELS[path];
  // A row of a list input: "items[2].results" → "更正事项第 3 项的检查结果".
  const row = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(path);
  if (row) return `${FIELD_LABELS[row[1]] ?? row[1]}第 ${Number(row[2]) + 1} 项的${FIELD_LABELS[row[3]] ?? row[3]}`;
  return path;
}

/** Bad input: names the field (dotted path, or row/column for imports) and the reason. */
export class BadInputError extends DomainError {
  constructor(field: string, reason: string, details: Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', `${fieldLabel(field)}：${reason}`, { field, reason, ...details });
  }
}

/** A date input must be YYYY-MM-DD. */
export function checkDate(field: string, value: string): void {
  if (!isIsoDate(value)) throw new BadInputError(field, '日期格式应为 YYYY-MM-DD');
}

export class NotFoundError extends DomainError {
  constructor(entity: string, id: string | number) {
    super('NOT_FOUND', `${entity}不存在：${id}`, { entity, id: String(id) });
  }
}

export class ForbiddenError extends DomainError {
  constructor(reason = '无权执行此操作') {
    super('FORBIDDEN', reason);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(reason = '请先登录') {
    super('UNAUTHENTICATED', reason);
  }
}

export class ConflictError extends DomainError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', reason, details);
  }
}

const HTTP_STATUS: Record<ErrorCode, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

/** A domain error as a plain HTTP route answers it: the status for its code and the same fields as GraphQL. */
export function sendDomainError(res: { status(code: number): { json(body: unknown): unknown } }, error: DomainError): void {
  res.status(HTTP_STATUS[error.code]).json({ error: { code: error.code, message: error.message, field: error.details.field } });
}
