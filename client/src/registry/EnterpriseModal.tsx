import { Form, Input, Select, Space, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { RiskClassChannelLabels } from '../gql/enum-labels';
import type { EnterpriseStatus, RiskClass } from '../gql/graphql';
import { FormModal } from '../common/FormModal';
import { useRefusal } from '../common/use-refusal';
import { RegistryChoices } from './choices';
import { ENTERPRISE_STATUS_LABELS, RISK_LABELS } from './labels';

const Detail = graphql(`
  query EnterpriseRecord($id: ID!) {
    enterprise(id: $id) {
      id
      uscc
      name
      address
      legalRepresentative
      status
      riskClass
      region {
        id
      }
      industries {
        id
      }
      riskClassHistory {
        id
        fromClass
        toClass
        channel
        source
        reason
        changedAt
        changedBy {
          displayName
          department {
            shortName
          }
        }
      }
    }
  }
`);

const Create = graphql(`
  mutation CreateEnterprise($input: CreateEnterpriseInput!) {
    createEnterprise(input: $input) {
      id
    }
  }
`);

const Update = graphql(`
  mutation UpdateEnterprise($id: ID!, $input: EnterpriseFieldsInput!) {
    updateEnterprise(id: $id, input: $input) {
      id
      riskClass
    }
  }
`);

interface Values {
  uscc: string;
  name: string;
  address: string;
  legalRepresentative: string;
  status: EnterpriseStatus;
  industryIds: string[];
  regionId: string;
  riskClass: RiskClass;
  riskClassReason: string;
  riskClassSource: string;
}

/** A firm of the shared registry, new (id null) or edited; a new risk class needs its reason and source, and the history shows every change. */
export function EnterpriseModal({ id, onClose }: { id: string | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const [{ data }] = useQuery({ query: Detail, variables: { id: id ?? '' }, pause: !id, requestPolicy: 'network-only' });
  const [{ data: choices }] = useQuery({ query: RegistryChoices });
  const [creating, create] = useMutation(Create);
  const [updating, update] = useMutation(Update);
  const { failure, refuse } = useRefusal(form);
  const current = data?.enterprise;
  const riskClass = Form.useWatch('riskClass', form);
  const riskChanges = !id || (current != null && riskClass != null && riskClass !== current.riskClass);
  if (id && !current) return null;

  const submit = async () => {
    const v = await form.validateFields();
    const risk = riskChanges ? { riskClass: v.riskClass, riskClassReason: v.riskClassReason, riskClassSource: v.riskClassSource } : {};
    const fields = {
      name: v.name,
      address: v.address ?? '',
      legalRepresentative: v.legalRepresentative ?? '',
      status: v.status,
      industryIds: v.industryIds,
      regionId: v.regionId,
      ...risk,
    };
    const result = id ? await update({ id, input: fields }) : await create({ input: { uscc: v.uscc, ...fields } });
    if (result.error) {
      refuse(result.error);
      return;
    }
    onClose();
  };

  return (
    <FormModal
      title={current ? `修改监管对象：${current.name}` : '新增监管对象'}
      width={720}
      saving={creating.fetching || updating.fetching}
      failure={failure}
      onOk={submit}
      onCancel={onClose}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          current
            ? {
                uscc: current.uscc,
                name: current.name,
                address: current.address ?? '',
                legalRepresentative: current.legalRepresentative ?? '',
                status: current.status,
                industryIds: current.industries.map((i) => i.id),
                regionId: current.region.id,
                riskClass: current.riskClass,
              }
            : { status: 'OPERATING', industryIds: [] }
        }
      >
        <Form.Item name="uscc" label="统一社会信用代码" rules={[{ required: true, message: '请输入统一社会信用代码' }]}>
          <Input maxLength={18} disabled={!!id} />
        </Form.Item>
        <Form.Item name="name" label="企业名称" rules={[{ required: true, whitespace: true, message: '请输入企业名称' }]}>
          <Input maxLength={255} />
        </Form.Item>
        <Space wrap style={{ width: '100%' }} styles={{ item: { minWidth: 200, flex: 1 } }}>
          <Form.Item name="legalRepresentative" label="法定代表人（负责人）">
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="status" label="登记状态">
            <Select
              showSearch
              optionFilterProp="label"
              options={Object.entries(ENTERPRISE_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
              aria-label="登记状态"
            />
          </Form.Item>
        </Space>
        <Form.Item name="address" label="住所（经营场所）">
          <Input maxLength={255} />
        </Form.Item>
        <Space wrap style={{ width: '100%' }} styles={{ item: { minWidth: 200, flex: 1 } }}>
          <Form.Item name="industryIds" label="行业" rules={[{ required: true, message: '请至少选择一个行业' }]}>
            <Select
              mode="multiple"
              aria-label="行业"
              optionFilterProp="label"
              options={choices?.industries.map((i) => ({ value: i.id, label: i.name }))}
            />
          </Form.Item>
          <Form.Item name="regionId" label="所属区域" rules={[{ required: true, message: '请选择所属区域' }]}>
            <Select
              showSearch
              optionFilterProp="label"
              aria-label="所属区域"
              options={choices?.regions.map((r) => ({ value: r.id, label: r.name }))}
            />
          </Form.Item>
          <Form.Item name="riskClass" label="信用风险分类" rules={[{ required: true, message: '请选择信用风险分类' }]}>
            <Select
              showSearch
              optionFilterProp="label"
              aria-label="信用风险分类"
              options={Object.entries(RISK_LABELS).map(([value, { label }]) => ({ value, label }))}
            />
          </Form.Item>
        </Space>
        {riskChanges && (
          <Space wrap style={{ width: '100%' }} styles={{ item: { minWidth: 260, flex: 1 } }}>
            <Form.Item name="riskClassReason" label="分类理由" rules={[{ required: true, whitespace: true, message: '请说明理由' }]}>
              <Input maxLength={500} placeholder={id ? '如：被列入经营异常名录' : '如：新设立企业'} />
            </Form.Item>
            <Form.Item name="riskClassSource" label="分类来源" rules={[{ required: true, whitespace: true, message: '请说明来源' }]}>
              <Input maxLength={255} placeholder="如：省企业信用风险分类管理系统 2026年第四季度结果" />
            </Form.Item>
          </Space>
        )}
      </Form>
      {current && current.riskClassHistory.length > 0 && (
        <>
          <Typography.Title level={5}>信用风险分类变更记录</Typography.Title>
          <Timeline
            items={current.riskClassHistory.map((c) => ({
              key: c.id,
              children: (
                <Space direction="vertical" size={0}>
                  <span>
                    {c.fromClass ? `${RISK_LABELS[c.fromClass].label} → ` : ''}
                    {RISK_LABELS[c.toClass].label}（{RiskClassChannelLabels[c.channel]}）
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {dayjs(c.changedAt).format('YYYY-MM-DD HH:mm')}{' '}
                    {c.changedBy ? `${c.changedBy.department.shortName} ${c.changedBy.displayName}` : ''} · 理由：{c.reason} · 来源：
                    {c.source}
                  </Typography.Text>
                </Space>
              ),
            }))}
          />
        </>
      )}
    </FormModal>
  );
}
