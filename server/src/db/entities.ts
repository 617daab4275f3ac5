import { User } from '../modules/auth/user.entity.js';
import { UserSession } from '../modules/auth/session.entity.js';
import { ApiToken } from '../modules/auth/api-token.entity.js';
import { CheckItem } from '../modules/checklist/check-item.entity.js';
import { Department, Region } from '../modules/departments/department.entity.js';
import { Draw, DrawAmendment, DrawEntropy, DrawPopulation } from '../modules/draws/draw.entity.js';
import { Event } from '../modules/events/event.entity.js';
import { Finding } from '../modules/inspections/finding.entity.js';
import { Referral } from '../modules/referrals/referral.entity.js';
import { AuditEntry } from '../modules/audit/audit.entity.js';
import { Correction, Publication, PublicationVersion } from '../modules/publication/publication.entity.js';
import { Inspection } from '../modules/inspections/inspection.entity.js';
import { OfficerConflict } from '../modules/registry/officer-conflict.entity.js';
import { Plan } from '../modules/plans/plan.entity.js';
import { TaskPartnership } from '../modules/plans/partnership.entity.js';
import { Ratio } from '../modules/plans/ratio.embeddable.js';
import { Task } from '../modules/plans/task.entity.js';
import { Enterprise } from '../modules/registry/enterprise.entity.js';
import { Industry } from '../modules/registry/industry.entity.js';
import { ImportJob } from '../modules/imports/import-job.entity.js';
import { Officer } from '../modules/registry/officer.entity.js';
import { RiskClassChange } from '../modules/registry/risk-class-change.entity.js';
import { Setting } from './setting.entity.js';
import { Attachment } from '../modules/attachments/attachment.entity.js';
import { RecordSignature } from '../modules/records/signature.entity.js';

/** Every entity, listed explicitly: discovery by folder scanning behaves differently under tsx and vitest. */
export const entities = [
  Region,
  Department,
  Industry,
  Enterprise,
  Officer,
  RiskClassChange,
  CheckItem,
  Plan,
  Task,
  TaskPartnership,
  Ratio,
  User,
  UserSession,
  ApiToken,
  Event,
  Setting,
  Attachment,
  RecordSignature,
  ImportJob,
  Draw,
  DrawAmendment,
  DrawPopulation,
  DrawEntropy,
  Inspection,
  OfficerConflict,
  Finding,
  Referral,
  AuditEntry,
  Publication,
  PublicationVersion,
  Correction,
];
