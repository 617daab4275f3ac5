import { registerEnumType } from 'type-graphql';

/** Every kind of event the hub emits. Later modules add theirs here with their payload type. */
export enum EventType {
  TASK_UPDATED = 'TASK_UPDATED',
  PLAN_CREATED = 'PLAN_CREATED',
  TASK_CREATED = 'TASK_CREATED',
  TASK_DELETED = 'TASK_DELETED',
  TASK_PARTNERSHIP_CHANGED = 'TASK_PARTNERSHIP_CHANGED',
  PLAN_APPROVED = 'PLAN_APPROVED',
  REGISTRY_IMPORTED = 'REGISTRY_IMPORTED',
  RECORD_CHANGED = 'RECORD_CHANGED',
  PLAN_IMPORTED = 'PLAN_IMPORTED',
  PLAN_WITNESS_RULE_SET = 'PLAN_WITNESS_RULE_SET',
  DRAW_OPENED = 'DRAW_OPENED',
  DRAW_ENTROPY_ADDED = 'DRAW_ENTROPY_ADDED',
  DRAW_REVEALED = 'DRAW_REVEALED',
  DRAW_CANCELLED = 'DRAW_CANCELLED',
  DRAW_TEAM_AMENDED = 'DRAW_TEAM_AMENDED',
  INSPECTION_UPDATED = 'INSPECTION_UPDATED',
  FINDING_RECORDED = 'FINDING_RECORDED',
  REFERRAL_UPDATED = 'REFERRAL_UPDATED',
  FOLLOW_UP_DONE = 'FOLLOW_UP_DONE',
  PUBLICATION_CHANGED = 'PUBLICATION_CHANGED',
  EVIDENCE_CHANGED = 'EVIDENCE_CHANGED',
}
registerEnumType(EventType, {
  name: 'EventType',
  description: '事件类型',
  valuesConfig: {
    TASK_UPDATED: { description: '抽查任务已修改' },
    PLAN_CREATED: { description: '新建了年度计划（草稿）' },
    TASK_CREATED: { description: '计划中新增了抽查任务（配合部门待确认）' },
    TASK_DELETED: { description: '草稿计划中的抽查任务已删除' },
    TASK_PARTNERSHIP_CHANGED: { description: '配合部门确认了联合事项，或发起部门撤回了配合部门（附理由）' },
    PLAN_APPROVED: { description: '年度计划已批准' },
    REGISTRY_IMPORTED: { description: '名录库已导入（监管对象或执法人员）' },
    RECORD_CHANGED: { description: '逐条维护了检查事项、监管对象或执法人员（新增、修改、停用）' },
    PLAN_IMPORTED: { description: '年度计划已从公开文件导入' },
    PLAN_WITNESS_RULE_SET: { description: '计划的抽取见证规则已设定' },
    DRAW_OPENED: { description: '随机抽取已开启（公布承诺值）' },
    DRAW_ENTROPY_ADDED: { description: '见证人加入了随机串' },
    DRAW_REVEALED: { description: '随机抽取已完成（揭示种子、抽中企业与检查组）' },
    DRAW_CANCELLED: { description: '随机抽取未揭示即被撤销（附理由），并公布密钥与本应抽中的结果' },
    DRAW_TEAM_AMENDED: { description: '抽取完成后按规则更换了检查组的执法人员（附理由）' },
    INSPECTION_UPDATED: { description: '检查状态或预约时间已变化' },
    FINDING_RECORDED: { description: '录入或修改了一项检查结果' },
    REFERRAL_UPDATED: { description: '问题线索移送已创建、接收或办结' },
    FOLLOW_UP_DONE: { description: '责令改正等后续处置已完成（复查）' },
    PUBLICATION_CHANGED: { description: '抽查结果已公示，或更正已申请、批准、驳回' },
    EVIDENCE_CHANGED: { description: '检查证据（照片或文件）已上传或删除' },
  },
});

/** The payload each event type carries: the typed half of the pub/sub. */
export interface EventPayloads {
  [EventType.TASK_UPDATED]: {
    taskId: number;
    planId: number;
    version: number;
    /** Field → new value, for the fields that changed. */
    changes: Record<string, unknown>;
  };
  [EventType.PLAN_CREATED]: { planId: number; year: number; departmentId: number };
  [EventType.TASK_CREATED]: { taskId: number; planId: number; partnerDepartmentIds: number[] };
  [EventType.TASK_DELETED]: { taskId: number; planId: number; name: string };
  [EventType.TASK_PARTNERSHIP_CHANGED]: {
    taskId: number;
    planId: number;
    departmentId: number;
    status: 'CONFIRMED' | 'WITHDRAWN';
    itemIds: number[];
    reason?: string;
  };
  [EventType.PLAN_APPROVED]: { planId: number; year: number; departmentId: number };
  [EventType.REGISTRY_IMPORTED]: { kind: 'ENTERPRISE' | 'OFFICER'; file: string; inserted: number; updated: number; failed: number };
  [EventType.RECORD_CHANGED]: {
    kind: 'CHECK_ITEM' | 'ENTERPRISE' | 'OFFICER';
    id: number;
    action: 'CREATED' | 'UPDATED' | 'RETIRED' | 'DELETED';
    /** Field → new value, for the fields that changed. */
    changes: Record<string, unknown>;
  };
  [EventType.PLAN_IMPORTED]: { planId: number; year: number; departmentId: number; tasks: number; checkItems: number };
  [EventType.PLAN_WITNESS_RULE_SET]: { planId: number; witnessesRequired: number; fromOtherDepartment: boolean };
  [EventType.DRAW_OPENED]: { drawId: string; commitment: string; taskIds: number[] };
  [EventType.DRAW_ENTROPY_ADDED]: { drawId: string; by: string; value: string };
  [EventType.DRAW_REVEALED]: { drawId: string; seed: string; visits: number; visitsIndependent: number };
  [EventType.DRAW_CANCELLED]: { drawId: string; reason: string };
  [EventType.DRAW_TEAM_AMENDED]: { drawId: string; inspectionId: number; taskIds: number[]; out: string; in: string; reason: string };
  [EventType.INSPECTION_UPDATED]: { inspectionId: number; taskIds: number[]; status: string; version: number };
  [EventType.FINDING_RECORDED]: {
    inspectionId: number;
    taskIds: number[];
    findingId: number;
    itemId: number;
    departmentId: number;
    version: number;
  };
  [EventType.REFERRAL_UPDATED]: { referralId: number; findingId: number; status: string; fromDepartmentId: number; toDepartmentId: number };
  [EventType.FOLLOW_UP_DONE]: { findingId: number; inspectionId: number; doneOn: string };
  [EventType.PUBLICATION_CHANGED]: {
    publicationId: number;
    inspectionId: number;
    action: 'PUBLISHED' | 'CORRECTION_REQUESTED' | 'CORRECTION_APPROVED' | 'CORRECTION_REJECTED';
    correctionId: number | null;
    currentVersion: number;
  };
  [EventType.EVIDENCE_CHANGED]: {
    inspectionId: number;
    taskIds: number[];
    findingId: number | null;
    attachmentId: number;
    sha256: string;
    action: 'ADDED' | 'REMOVED';
  };
}

/** An event of one type as read back from the table. */
export interface EventOfType<T extends EventType> {
  id: string;
  /** Position in commit order: the stream's cursor. */
  seq: string;
  type: T;
  departmentIds: number[];
  payload: EventPayloads[T];
  actorId: number | null;
  createdAt: Date;
}

/**
 * An event of any of the types T: a union discriminated by `type`, so checking `event.type`
 * narrows `event.payload` — subscriptions read their payload without casts.
 */
export type EventRecord<T extends EventType = EventType> = { [K in T]: EventOfType<K> }[T];

/** What a reader of the event stream receives. */
export interface StreamFilter<T extends EventType = EventType> {
  /** Department whose events the reader may see; null for all. */
  departmentId: number | null;
  /** The event types wanted; null for all. */
  types: T[] | null;
  /** The reader's token expiry (seconds since epoch): the stream ends with UNAUTHENTICATED then. */
  expiresAt: number;
  /** A narrower filter on the payload (e.g. one draw's events). */
  match?: (event: EventRecord<T>) => boolean;
}
