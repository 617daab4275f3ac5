import { checkUscc } from '../uscc.js';
import { EnterpriseStatus, RiskClass } from '../registry.enums.js';
import { ImportMode } from '../../imports/import-report.js';
import { industryLookup, regionLookup, splitList } from './lookups.js';
import type { ImportTarget } from '../../imports/table-import.js';

type Field = 'uscc' | 'name' | 'industries' | 'region' | 'riskClass' | 'address' | 'legalRepresentative' | 'status';

const RISK_CLASSES: Record<string, RiskClass> = {
  A: RiskClass.A_LOW,
  A类: RiskClass.A_LOW,
  低风险: RiskClass.A_LOW,
  B: RiskClass.B_GENERAL,
  B类: RiskClass.B_GENERAL,
  一般风险: RiskClass.B_GENERAL,
  C: RiskClass.C_ELEVATED,
  C类: RiskClass.C_ELEVATED,
  较高风险: RiskClass.C_ELEVATED,
  D: RiskClass.D_HIGH,
  D类: RiskClass.D_HIGH,
  高风险: RiskClass.D_HIGH,
};

const STATUSES: Record<string, EnterpriseStatus> = {
  '': EnterpriseStatus.OPERATING,
  存续: EnterpriseStatus.OPERATING,
  在业: EnterpriseStatus.OPERATING,
  在营: EnterpriseStatus.OPERATING,
  开业: EnterpriseStatus.OPERATING,
  '存续(在营、开业、在册)': EnterpriseStatus.OPERATING,
  歇业: EnterpriseStatus.SUSPENDED,
  吊销: EnterpriseStatus.REVOKED,
  吊销未注销: EnterpriseStatus.REVOKED,
  注销: EnterpriseStatus.DEREGISTERED,
  已注销: EnterpriseStatus.DEREGISTERED,
};

const HEADERS: Record<Field, string> = {
  uscc: '统一社会信用代码',
  name: '企业名称',
  industries: '行业',
  region: '所属区域',
  riskClass: '信用风险分类',
  address: '住所',
  legalRepresentative: '法定代表人',
  status: '登记状态',
};

/** 监管对象名录库: columns as departments head them, with their common variants. */
export const enterpriseImport: ImportTarget<Field> = {
  kind: 'ENTERPRISE',
  targetTable: 'enterprise',
  key: { column: 'uscc', header: HEADERS.uscc },
  columns: [
    { field: 'uscc', headers: ['统一社会信用代码', '社会信用代码', '信用代码', '统一代码', 'USCC'], required: true },
    { field: 'name', headers: ['企业名称', '名称', '市场主体名称', '主体名称', '单位名称', '企业(单位)名称'], required: true },
    { field: 'industries', headers: ['行业', '所属行业', '行业类别', '检查对象类别', '监管行业'], required: true },
    { field: 'region', headers: ['所属区域', '区域', '所属地区', '所在地区', '行政区划', '辖区', '所属区县'], required: true },
    {
      field: 'riskClass',
      headers: ['信用风险分类', '风险分类', '信用风险等级', '风险等级', '信用风险类别', '信用风险分类结果'],
      required: true,
    },
    { field: 'address', headers: ['住所', '地址', '经营场所', '住所(经营场所)', '注册地址'], required: false },
    { field: 'legalRepresentative', headers: ['法定代表人', '负责人', '法定代表人(负责人)', '经营者', '法人代表'], required: false },
    { field: 'status', headers: ['登记状态', '经营状态', '企业状态', '状态'], required: false },
  ],
  directColumns: 'uscc, name, region_id, risk_class, address, legal_representative, status, industry_ids',
  stageTypes: {
    uscc: 'text not null',
    name: 'text not null',
    region_id: 'int not null',
    risk_class: 'text not null',
    address: 'text',
    legal_representative: 'text',
    status: 'text not null',
    industry_ids: 'int[] not null',
  },

  async prepare(db) {
    const regions = await regionLookup(db);
    const industries = await industryLookup(db);
    return (cell, row, report) => {
      let ok = true;
      const fail = (field: Field, value: string, reason: string) => {
        report.addError(row, HEADERS[field], value, reason);
        ok = false;
      };
      const rawUscc = cell('uscc');
      const uscc = checkUscc(rawUscc);
      if (!uscc.ok) fail('uscc', rawUscc, rawUscc.trim() ? uscc.reason : '不能为空');
      const name = cell('name').trim();
      if (!name) fail('name', '', '不能为空');
      else if (name.length > 255) fail('name', name, '不能超过 255 个字');
      const industryIds: number[] = [];
      const industryText = cell('industries');
      for (const part of splitList(industryText)) {
        const id = industries.get(part);
        if (id === undefined) fail('industries', industryText, `未知行业“${part}”（可选：${industries.names.join('、')}）`);
        else if (!industryIds.includes(id)) industryIds.push(id);
      }
      if (!industryText.trim()) fail('industries', '', '不能为空');
      const regionText = cell('region');
      const regionId = regions.get(regionText);
      if (regionId === undefined)
        fail('region', regionText, regionText.trim() ? `未知区域（可选：${regions.names.join('、')}）` : '不能为空');
      const riskText = cell('riskClass').replace(/\s/g, '');
      const risk = RISK_CLASSES[riskText.toUpperCase()] ?? RISK_CLASSES[riskText];
      if (!risk) fail('riskClass', riskText, riskText ? '应为 A/B/C/D 或 低风险/一般风险/较高风险/高风险' : '不能为空');
      const statusText = cell('status').replace(/\s/g, '').replace(/（/g, '(').replace(/）/g, ')');
      const status = STATUSES[statusText];
      if (!status) fail('status', statusText, '应为 存续、在业、歇业、吊销、注销 之一');
      const address = cell('address').trim();
      const legalRep = cell('legalRepresentative').trim();
      if (address.length > 255) fail('address', address, '不能超过 255 个字');
      if (legalRep.length > 64) fail('legalRepresentative', legalRep, '不能超过 64 个字');
      if (!ok || !uscc.ok) return null;
      return [uscc.value, name, regionId!, risk, address || null, legalRep || null, status, industryIds];
    };
  },

  async merge(db, mode, { actorId, file }) {
    // Each risk class the file changes is a history row, written before the rows take the new class.
    if (mode === ImportMode.UPSERT) {
      await db.query(
        `insert into risk_class_change (enterprise_id, from_class, to_class, channel, source, reason, changed_by_id)
         select e.id, e.risk_class, s.risk_class, 'IMPORT', left($1, 255), '名录导入更新信用风险分类', $2
           from import_stage s join enterprise e on e.uscc = s.uscc where e.risk_class <> s.risk_class`,
        [file, actorId],
      );
    }
    const conflict =
      mode === ImportMode.UPSERT
        ? `do update set name = excluded.name, industry_ids = excluded.industry_ids, region_id = excluded.region_id,
             risk_class = excluded.risk_class, address = excluded.address,
             legal_representative = excluded.legal_representative, status = excluded.status, updated_at = now()`
        : 'do nothing';
    const { rows } = await db.query<{ inserted: string; updated: string }>(
      `with merged as (
         insert into enterprise (uscc, name, industry_ids, region_id, risk_class, address, legal_representative, status, updated_at)
         select uscc, name, industry_ids, region_id, risk_class, address, legal_representative, status, now() from import_stage
         on conflict (uscc) ${conflict}
         returning (xmax = 0) as is_new
       )
       select count(*) filter (where is_new) as inserted, count(*) filter (where not is_new) as updated from merged`,
    );
    return { inserted: Number(rows[0].inserted), updated: Number(rows[0].updated) };
  },
};
