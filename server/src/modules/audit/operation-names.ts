/**
 * The audit log's operations as people read them (审计日志 in Chinese): every GraphQL mutation
 * and the upload route. A test checks that each mutation of the schema has its name here.
 */
export const OPERATION_NAMES: Record<string, string> = {
  login: '登录',
  logout: '退出登录',
  renewToken: '续期令牌',
  changePassword: '修改本人密码',
  revokeSession: '注销会话',
  createUser: '新建账号',
  updateUser: '修改账号',
  disableUser: '停用账号',
  enableUser: '启用账号',
  resetPassword: '重置密码',
  grantRoles: '授予角色',
  revokeRoles: '收回角色',
  unlockUser: '解除登录锁定',
  setSecurityPolicy: '设定密码与会话策略',
  createDepartment: '新建部门',
  updateDepartment: '修改部门',
  createPlan: '新建年度计划',
  createTask: '新增抽查任务',
  updateTask: '修改抽查任务',
  deleteTask: '删除抽查任务',
  confirmTaskPartnership: '确认联合事项',
  withdrawTaskPartner: '撤回配合部门',
  approvePlan: '批准抽查计划',
  setPlanWitnessRule: '设定抽取见证规则',
  openDraw: '开启随机抽取',
  addDrawEntropy: '见证人加入随机串',
  revealDraw: '揭示并完成抽取',
  cancelDraw: '撤销抽取',
  amendTeam: '更换检查组人员',
  declareOfficerConflict: '申报利害关系（回避）',
  scheduleInspection: '登记预约检查时间',
  startInspection: '开始检查',
  recordFinding: '录入检查结果',
  submitInspection: '提交检查',
  finaliseInspection: '办结检查',
  completeFollowUp: '登记整改完成',
  createReferral: '移送问题线索',
  acceptReferral: '接收移送',
  closeReferral: '办结移送',
  publishInspections: '公示检查结果',
  requestCorrection: '申请更正公示',
  decideCorrection: '审核更正申请',
  uploadImport: '上传导入文件',
  exportAudit: '导出审计日志',
};

export function operationName(operation: string): string {
  return OPERATION_NAMES[operation] ?? operation;
}
