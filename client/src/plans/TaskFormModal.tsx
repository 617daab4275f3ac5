import { Checkbox, Form, Input, InputNumber, Radio, Select, Space, Switch, Typography } from 'antd';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { DrawType, Mode, RatioKind, RiskClass } from '../gql/graphql';
import { FormModal } from '../common/FormModal';
import { useRefusal } from '../common/use-refusal';
import { RISK_LABELS } from '../registry/labels';
import { MODE_LABELS } from './labels';

const Choices = graphql(`
  query TaskFormChoices($departmentId: ID!) {
    checkItems(departmentId: $departmentId) {
      id
      code
      item
      year
    }
    industries {
      id
      name
    }
    regions {
      id
      name
    }
    departments {
      id
      name
      shortName
    }
  }
`);

const CreateTask = graphql(`
  mutation CreateTask($planId: ID!, $input: CreateTaskInput!) {
    createTask(planId: $planId, input: $input) {
      id
    }
  }
`);

const UpdateTask = graphql(`
  mutation UpdateTask($id: ID!, $input: UpdateTaskInput!) {
    updateTask(id: $id, input: $input) {
      id
      version
    }
  }
`);

/** The task as the plan page read it (for editing). */
export interface TaskForForm {
  id: string;
  version: number;
  name: string;
  scopeText: string;
  riskStratified: boolean;
  riskRuleText: string;
  frequencyPerYear?: number | null;
  windowFromMonth?: number | null;
  windowToMonth?: number | null;
  modes: Mode[];
  drawType?: DrawType | null;
  problemYear?: number | null;
  ratio: {
    kind: RatioKind;
    text: string;
    percent?: number | null;
    atLeast: boolean;
    count?: number | null;
    perRiskClass: { riskClass: RiskClass; percent: number }[];
  };
  leadDepartment: { id: string };
  partnerDepartments: { id: string }[];
  items: { id: string; department: { id: string } }[];
  scopeIndustries: { id: string }[];
  scopeRegions: { id: string }[];
}

interface Values {
  name: string;
  itemIds: string[];
  scopeText: string;
  scopeIndustryIds: string[];
  scopeRegionIds: string[];
  ratioKind: RatioKind;
  percent: number | null;
  atLeast: boolean;
  count: number | null;
  perRiskClass: Partial<Record<RiskClass, number | null>>;
  riskStratified: boolean;
  riskRuleText: string;
  frequencyPerYear: number | null;
  windowFromMonth: number | null;
  windowToMonth: number | null;
  modes: Mode[];
  drawType: DrawType | null;
  problemYear: number | null;
  partnerDepartmentIds: string[];
}

const RISK_CLASSES: RiskClass[] = ['A_LOW', 'B_GENERAL', 'C_ELEVATED', 'D_HIGH'];
const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}月` }));

function initialValues(task: TaskForForm | null): Values {
  return {
    name: task?.name ?? '',
    itemIds: task?.items.filter((i) => i.department.id === task.leadDepartment.id).map((i) => i.id) ?? [],
    scopeText: task?.scopeText ?? '',
    scopeIndustryIds: task?.scopeIndustries.map((i) => i.id) ?? [],
    scopeRegionIds: task?.scopeRegions.map((r) => r.id) ?? [],
    ratioKind: task?.ratio.kind ?? 'PERCENT',
    percent: task?.ratio.percent ?? null,
    atLeast: task?.ratio.atLeast ?? true,
    count: task?.ratio.count ?? null,
    perRiskClass: Object.fromEntries(task?.ratio.perRiskClass.map((r) => [r.riskClass, r.percent]) ?? []),
    riskStratified: task?.riskStratified ?? false,
    riskRuleText: task?.riskRuleText ?? '',
    frequencyPerYear: task?.frequencyPerYear ?? 1,
    windowFromMonth: task ? (task.windowFromMonth ?? null) : 1,
    windowToMonth: task ? (task.windowToMonth ?? null) : 12,
    modes: task?.modes ?? ['CITY_DRAWS_CITY_CHECKS'],
    drawType: task?.drawType ?? 'UNDIRECTED',
    problemYear: task?.problemYear ?? null,
    partnerDepartmentIds: task?.partnerDepartments.map((d) => d.id) ?? [],
  };
}

/** The API's ratio fields (ratio.percent …) as this form's; the others have the same names. */
function formField(field: string): keyof Values {
  if (!field.startsWith('ratio.')) return field as keyof Values;
  return ({ 'ratio.percent': 'percent', 'ratio.count': 'count' } as Record<string, keyof Values>)[field] ?? 'ratioKind';
}

/**
 * Writes a task by hand with every column of the published tables: the lead's own items, the
 * scope by industry and region, the ratio (percent, count or per risk class), frequency, window,
 * mode, 定向/不定向 and the partners (each confirms its own items afterwards). New when `task` is null.
 */
export function TaskFormModal({
  planId,
  departmentId,
  task,
  onClose,
}: {
  planId: string;
  departmentId: string;
  task: TaskForForm | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const [{ data }] = useQuery({ query: Choices, variables: { departmentId } });
  const [creating, create] = useMutation(CreateTask);
  const [updating, update] = useMutation(UpdateTask);
  const { failure, refuse } = useRefusal(form, formField);
  const ratioKind = Form.useWatch('ratioKind', form) ?? initialValues(task).ratioKind;
  const existingPartners = new Set(task?.partnerDepartments.map((d) => d.id) ?? []);

  const submit = async () => {
    const v = await form.validateFields();
    const ratio = {
      kind: v.ratioKind,
      ...(v.ratioKind === 'PERCENT' ? { percent: v.percent, atLeast: v.atLeast } : {}),
      ...(v.ratioKind === 'COUNT' ? { count: v.count } : {}),
      ...(v.ratioKind === 'PER_RISK_CLASS'
        ? {
            perRiskClass: RISK_CLASSES.filter((r) => v.perRiskClass[r] != null).map((r) => ({ riskClass: r, percent: v.perRiskClass[r]! })),
          }
        : {}),
    };
    const input = {
      name: v.name,
      itemIds: v.itemIds,
      scopeText: v.scopeText,
      scopeIndustryIds: v.scopeIndustryIds,
      scopeRegionIds: v.scopeRegionIds,
      ratio,
      riskStratified: v.riskStratified,
      riskRuleText: v.riskRuleText,
      frequencyPerYear: v.frequencyPerYear,
      windowFromMonth: v.windowFromMonth,
      windowToMonth: v.windowToMonth,
      modes: v.modes,
      drawType: v.problemYear ? 'DIRECTED' : v.drawType,
      // 0 clears it on an edit (the API's rule); empty on a new task is simply none.
      problemYear: v.problemYear ?? (task ? 0 : null),
      partnerDepartmentIds: v.partnerDepartmentIds,
    };
    // An edit sends what was changed (an imported task keeps its published ratio text unless the ratio is rewritten).
    const ratioTouched =
      form.isFieldsTouched(['ratioKind', 'percent', 'atLeast', 'count', 'perRiskClass']) && v.ratioKind !== 'UNSPECIFIED';
    const changed = Object.fromEntries(
      Object.entries(input).filter(([key]) => (key === 'ratio' ? ratioTouched : form.isFieldTouched(key as keyof Values))),
    );
    const result = task ? await update({ id: task.id, input: { version: task.version, ...changed } }) : await create({ planId, input });
    if (result.error) {
      refuse(result.error);
      return;
    }
    onClose();
  };

  return (
    <FormModal
      title={task ? `修改抽查任务：${task.name}` : '新增抽查任务'}
      width={760}
      saving={creating.fetching || updating.fetching}
      failure={failure}
      onOk={submit}
      onCancel={onClose}
    >
      <Form form={form} layout="vertical" initialValues={initialValues(task)}>
        <Form.Item name="name" label="抽查任务名称" rules={[{ required: true, whitespace: true, message: '请输入任务名称' }]}>
          <Input maxLength={255} placeholder="如：对报废机动车回收企业的部门联合抽查" />
        </Form.Item>
        <Form.Item
          name="itemIds"
          label="抽查事项（本部门的检查事项；配合部门确认时各自选择）"
          rules={[{ required: true, message: '请选择检查事项' }]}
        >
          <Select
            mode="multiple"
            aria-label="抽查事项"
            optionFilterProp="label"
            options={data?.checkItems.map((i) => ({ value: i.id, label: `${i.code} ${i.item}` }))}
          />
        </Form.Item>
        <Form.Item name="scopeText" label="抽查对象范围（文字表述）">
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
        </Form.Item>
        <Space wrap style={{ width: '100%' }} styles={{ item: { minWidth: 260, flex: 1 } }}>
          <Form.Item name="scopeIndustryIds" label="行业">
            <Select
              mode="multiple"
              aria-label="行业"
              optionFilterProp="label"
              options={data?.industries.map((i) => ({ value: i.id, label: i.name }))}
            />
          </Form.Item>
          <Form.Item name="scopeRegionIds" label="区域（不选为全部）">
            <Select
              mode="multiple"
              aria-label="区域"
              optionFilterProp="label"
              options={data?.regions.map((r) => ({ value: r.id, label: r.name }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="ratioKind" label="抽查比例">
          <Radio.Group
            options={[
              ...(task?.ratio.kind === 'UNSPECIFIED' ? [{ value: 'UNSPECIFIED', label: `按原文：${task.ratio.text}` }] : []),
              { value: 'PERCENT', label: '按比例' },
              { value: 'COUNT', label: '固定户数' },
              { value: 'PER_RISK_CLASS', label: '按信用风险分类' },
            ]}
          />
        </Form.Item>
        {ratioKind === 'PERCENT' && (
          <Space wrap>
            <Form.Item name="percent" rules={[{ required: true, message: '请输入比例' }]}>
              <InputNumber min={0.01} max={100} addonAfter="%" aria-label="比例" />
            </Form.Item>
            <Form.Item name="atLeast" valuePropName="checked">
              <Checkbox>不低于</Checkbox>
            </Form.Item>
          </Space>
        )}
        {ratioKind === 'COUNT' && (
          <Form.Item name="count" rules={[{ required: true, message: '请输入户数' }]}>
            <InputNumber min={1} addonAfter="户" aria-label="户数" />
          </Form.Item>
        )}
        {ratioKind === 'PER_RISK_CLASS' && (
          <Space wrap>
            {RISK_CLASSES.map((r) => (
              <Form.Item key={r} name={['perRiskClass', r]} label={RISK_LABELS[r].label}>
                <InputNumber min={0.01} max={100} addonAfter="%" />
              </Form.Item>
            ))}
          </Space>
        )}
        <Space wrap align="start">
          <Form.Item name="frequencyPerYear" label="频次">
            <InputNumber min={1} max={12} addonAfter="次/年" />
          </Form.Item>
          <Form.Item name="windowFromMonth" label="起始月份">
            <Select options={MONTHS} allowClear showSearch optionFilterProp="label" style={{ width: 100 }} aria-label="起始月份" />
          </Form.Item>
          <Form.Item name="windowToMonth" label="截止月份">
            <Select options={MONTHS} allowClear showSearch optionFilterProp="label" style={{ width: 100 }} aria-label="截止月份" />
          </Form.Item>
          <Form.Item name="drawType" label="抽查类型">
            <Radio.Group
              options={[
                { value: 'UNDIRECTED', label: '不定向' },
                { value: 'DIRECTED', label: '定向' },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="problemYear"
            label="问题企业年度"
            tooltip="结果运用：定向抽取该年度检查中发现问题的企业（早于计划年度）；留空为不限"
          >
            <InputNumber min={2000} max={2100} placeholder="不限" aria-label="问题企业年度" style={{ width: 110 }} />
          </Form.Item>
        </Space>
        <Form.Item name="modes" label="抽查模式" rules={[{ required: true, message: '请选择抽查模式' }]}>
          <Checkbox.Group options={(Object.keys(MODE_LABELS) as Mode[]).map((m) => ({ value: m, label: MODE_LABELS[m] }))} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="riskStratified" label="按信用风险分类递增比例、频次" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="riskRuleText" label="智慧监管要求" style={{ minWidth: 320 }}>
            <Input maxLength={2000} />
          </Form.Item>
        </Space>
        <Form.Item
          name="partnerDepartmentIds"
          label="配合部门（联合抽查；各部门确认本部门的检查事项后计划才能批准）"
          extra={task && existingPartners.size > 0 ? '已有的配合部门须在任务详情中“撤回”并说明理由' : undefined}
        >
          <Select
            mode="multiple"
            aria-label="配合部门"
            optionFilterProp="label"
            options={data?.departments
              .filter((d) => d.id !== departmentId)
              .map((d) => ({ value: d.id, label: d.name, disabled: existingPartners.has(d.id) }))}
          />
        </Form.Item>
        <Typography.Text type="secondary">保存后，配合部门实时收到该任务，并在“待确认的联合任务”中确认。</Typography.Text>
      </Form>
    </FormModal>
  );
}
