import { OfficerStatus } from '../registry.enums.js';
import { ImportMode } from '../../imports/import-report.js';
import { departmentLookup, regionLookup, splitList } from './lookups.js';
import type { ImportTarget } from '../../imports/table-import.js';

type Field = 'certificateNo' | 'name' | 'department' | 'specialties' | 'status' | 'region' | 'validUntil';

const HEADERS: Record<Field, string> = {
  certificateNo: '执法证号',
  name: '姓名',
  department: '部门',
  specialties: '业务专长',
  status: '状态',
  region: '区域',
  validUntil: '执法证有效期',
};

const STATUSES: Record<string, OfficerStatus> = {
  '': OfficerStatus.ACTIVE,
  在岗: OfficerStatus.ACTIVE,
  在职: OfficerStatus.ACTIVE,
  正常: OfficerStatus.ACTIVE,
  有效: OfficerStatus.ACTIVE,
  不在岗: OfficerStatus.INACTIVE,
  离岗: OfficerStatus.INACTIVE,
  调离: OfficerStatus.INACTIVE,
  退休: OfficerStatus.INACTIVE,
  暂停执法: OfficerStatus.INACTIVE,
  注销: OfficerStatus.INACTIVE,
};

/** 2028-12-31, 2028/12/31, 2028年12月31日 → 2028-12-31; empty → null (no expiry). */
function parseDate(text: string): string | null | undefined {
  const t = text.trim();
  if (!t || t === '长期') return null;
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** 执法人员名录库. */
export const officerImport: ImportTarget<Field> = {
  kind: 'OFFICER',
  targetTable: 'officer',
  key: { column: 'certificate_no', header: HEADERS.certificateNo },
  ownerColumn: 'department_id',
  columns: [
    { field: 'certificateNo', headers: ['执法证号', '执法证件号', '执法证件号码', '证件号码', '执法证编号'], required: true },
    { field: 'name', headers: ['姓名', '执法人员姓名', '人员姓名'], required: true },
    { field: 'department', headers: ['部门', '所属部门', '单位', '所在单位', '执法主体'], required: true },
    { field: 'specialties', headers: ['业务专长', '专长', '专业领域', '执法领域'], required: false },
    { field: 'status', headers: ['状态', '人员状态', '在岗状态'], required: false },
    { field: 'region', headers: ['区域', '所属区域', '所在区域'], required: false },
    { field: 'validUntil', headers: ['执法证有效期', '有效期至', '证件有效期'], required: false },
  ],
  directColumns: 'certificate_no, name, department_id, specialties, status, region_id, certificate_valid_until',
  stageTypes: {
    certificate_no: 'text not null',
    name: 'text not null',
    department_id: 'int not null',
    specialties: 'text[] not null',
    status: 'text not null',
    region_id: 'int not null',
    certificate_valid_until: 'date',
  },

  async prepare(db, scope) {
    const departments = await departmentLookup(db);
    const regions = await regionLookup(db);
    return (cell, row, report) => {
      let ok = true;
      const fail = (field: Field, value: string, reason: string) => {
        report.addError(row, HEADERS[field], value, reason);
        ok = false;
      };
      const certificateNo = cell('certificateNo').replace(/\s/g, '');
      if (!certificateNo) fail('certificateNo', '', '不能为空');
      else if (certificateNo.length > 32) fail('certificateNo', certificateNo, '不能超过 32 个字符');
      const name = cell('name').trim();
      if (!name) fail('name', '', '不能为空');
      else if (name.length > 64) fail('name', name, '不能超过 64 个字');
      const deptText = cell('department').trim();
      const departmentId = departments.get(deptText);
      if (departmentId === undefined) {
        const reason = !deptText ? '不能为空' : departments.ambiguous(deptText) ? `简称“${deptText}”对应多个部门，请填写全称` : '未知部门';
        fail('department', deptText, reason);
      } else if (scope.departmentId !== null && departmentId !== scope.departmentId) {
        fail('department', deptText, '只能导入本部门的执法人员');
      }
      const statusText = cell('status').replace(/\s/g, '');
      const status = STATUSES[statusText];
      if (!status) fail('status', statusText, '应为 在岗 或 不在岗（离岗、调离、退休、暂停执法）');
      const regionText = cell('region').trim();
      let regionId = regionText ? regions.get(regionText) : departmentId !== undefined ? departments.regionOf(departmentId) : undefined;
      if (regionText && regionId === undefined) fail('region', regionText, `未知区域（可选：${regions.names.join('、')}）`);
      const validText = cell('validUntil');
      const validUntil = parseDate(validText);
      if (validUntil === undefined) fail('validUntil', validText, '日期格式应为 2028-12-31');
      if (!ok) return null;
      regionId ??= departments.regionOf(departmentId!);
      const specialties = splitList(cell('specialties'));
      return [
        certificateNo,
        name,
        departmentId!,
        `{${specialties.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`,
        status,
        regionId,
        validUntil ?? null,
      ];
    };
  },

  async merge(db, mode) {
    const conflict =
      mode === ImportMode.UPSERT
        ? `do update set name = excluded.name, department_id = excluded.department_id, specialties = excluded.specialties,
             status = excluded.status, region_id = excluded.region_id, certificate_valid_until = excluded.certificate_valid_until`
        : 'do nothing';
    const { rows } = await db.query<{ inserted: string; updated: string }>(
      `with merged as (
         insert into officer (certificate_no, name, department_id, specialties, status, region_id, certificate_valid_until)
         select certificate_no, name, department_id, specialties, status, region_id, certificate_valid_until from import_stage
         on conflict (certificate_no) ${conflict}
         returning (xmax = 0) as is_new
       )
       select count(*) filter (where is_new) as inserted, count(*) filter (where not is_new) as updated from merged`,
    );
    return { inserted: Number(rows[0].inserted), updated: Number(rows[0].updated) };
  },
};
