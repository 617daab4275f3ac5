import { registerEnumType } from 'type-graphql';
import { Role } from '../../core/roles.js';

// The GraphQL side of the roles (core/roles.ts holds the enum): imported once by the schema build.
registerEnumType(Role, {
  name: 'Role',
  description: '角色',
  valuesConfig: {
    ADMIN: { description: '系统管理员（账号与部门）' },
    SECURITY_ADMIN: { description: '安全管理员（授予与收回角色、密码与会话策略、解锁账号）' },
    STAFF: { description: '业务人员（计划、抽取、派员、跟进）' },
    HEAD: { description: '部门负责人（批准抽取、公示、更正）' },
    OFFICER: { description: '执法人员（现场检查、录入结果）' },
    WITNESS: { description: '监督见证人（纪检监察、企业代表），只读' },
    OVERSIGHT: { description: '双随机工作机构（领导小组办公室）：只读查看本行政区划内各部门的统计' },
    AUDITOR: { description: '审计管理员（查阅审计日志，含另两员的操作）' },
  },
});
