import { Alert, App, Button, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { graphql } from '../gql';
import { InspectionMethodLabels } from '../gql/enum-labels';
import type { CheckItemKind, CheckItemsListQuery, InspectionMethod } from '../gql/graphql';
import { FormModal } from '../common/FormModal';
import { useRefusal } from '../common/use-refusal';
import { errorText } from '../graphql/client';

const Items = graphql(`
  query CheckItemsList($departmentId: ID, $includeRetired: Boolean) {
    checkItems(departmentId: $departmentId, includeRetired: $includeRetired) {
      id
      code
      year
      category
      item
      target
      kind
      method
      legalBasis
      requiredSpecialty
      retiredAt
      retireReason
      version
      usedByTasks
      viewerCanEdit
      department {
        id
        shortName
      }
    }
    departments {
      id
      name
    }
  }
`);

const Create = graphql(`
  mutation CreateCheckItem($input: CreateCheckItemInput!) {
    createCheckItem(input: $input) {
      id
    }
  }
`);

const Update = graphql(`
  mutation UpdateCheckItem($id: ID!, $input: UpdateCheckItemInput!) {
    updateCheckItem(id: $id, input: $input) {
      id
      version
    }
  }
`);

const Retire = graphql(`
  mutation RetireCheckItem($id: ID!, $reason: String!) {
    retireCheckItem(id: $id, reason: $reason) {
      id
      retiredAt
    }
  }
`);

const Delete = graphql(`
  mutation DeleteCheckItem($id: ID!) {
    deleteCheckItem(id: $id)
  }
`);

type Item = CheckItemsListQuery['checkItems'][number];

const KINDS: Record<CheckItemKind, string> = { GENERAL: '一般', KEY: '重点' };

interface Values {
  year: number;
  code: string;
  category: string;
  item: string;
  target: string;
  kind: CheckItemKind;
  method: InspectionMethod;
  legalBasis: string;
  requiredSpecialty: string;
}

function ItemModal({ item, onClose }: { item: Item | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const [creating, create] = useMutation(Create);
  const [updating, update] = useMutation(Update);
  const { failure, refuse } = useRefusal(form);
  const submit = async () => {
    const { year, ...v } = await form.validateFields();
    const result = item ? await update({ id: item.id, input: { version: item.version, ...v } }) : await create({ input: { year, ...v } });
    if (result.error) {
      refuse(result.error);
      return;
    }
    onClose();
  };
  return (
    <FormModal
      title={item ? `修改检查事项 ${item.code}` : '新增检查事项'}
      width={680}
      saving={creating.fetching || updating.fetching}
      failure={failure}
      onOk={submit}
      onCancel={onClose}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          year: item?.year ?? new Date().getFullYear(),
          code: item?.code ?? '',
          category: item?.category ?? '',
          item: item?.item ?? '',
          target: item?.target ?? '',
          kind: item?.kind ?? 'GENERAL',
          method: item?.method ?? 'ON_SITE',
          legalBasis: item?.legalBasis ?? '',
          requiredSpecialty: item?.requiredSpecialty ?? '',
        }}
      >
        <Space wrap>
          <Form.Item name="year" label="清单年度">
            <InputNumber min={2020} max={2100} disabled={!!item} aria-label="清单年度" />
          </Form.Item>
          <Form.Item name="code" label="事项编码（不填自动编号）">
            <Input maxLength={32} />
          </Form.Item>
          <Form.Item name="kind" label="事项类别">
            <Select
              style={{ width: 100 }}
              options={Object.entries(KINDS).map(([value, label]) => ({ value, label }))}
              aria-label="事项类别"
            />
          </Form.Item>
          <Form.Item name="method" label="检查方式">
            <Select
              style={{ width: 140 }}
              options={Object.entries(InspectionMethodLabels).map(([value, label]) => ({ value, label }))}
              aria-label="检查方式"
            />
          </Form.Item>
        </Space>
        <Form.Item name="category" label="抽查类别" rules={[{ required: true, whitespace: true, message: '请输入抽查类别' }]}>
          <Input maxLength={255} placeholder="如：对报废机动车回收活动的监督检查" />
        </Form.Item>
        <Form.Item name="item" label="抽查事项" rules={[{ required: true, whitespace: true, message: '请输入抽查事项' }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={2000} />
        </Form.Item>
        <Form.Item name="target" label="检查对象">
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="legalBasis" label="检查依据">
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={4000} />
        </Form.Item>
        <Form.Item name="requiredSpecialty" label="执法人员须具备的业务专长（不填为不限）">
          <Input maxLength={64} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** 随机抽查事项清单 (一单): every department's list; the viewer's own department keeps its items here. */
export function CheckItemsTab() {
  const { session } = useAuth();
  const { modal, message } = App.useApp();
  const [departmentId, setDepartmentId] = useState<string | undefined>(session?.user.department.id);
  const [includeRetired, setIncludeRetired] = useState(false);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: Items,
    variables: { departmentId: departmentId ?? null, includeRetired },
  });
  const [editing, setEditing] = useState<Item | null | 'new'>(null);
  const [, retire] = useMutation(Retire);
  const [, remove] = useMutation(Delete);
  const writes = session?.user.roles.some((r) => r === 'STAFF' || r === 'HEAD') ?? false;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const askRetire = (item: Item) => {
    let reason = '';
    modal.confirm({
      title: `停用检查事项 ${item.code}`,
      content: (
        <Input.TextArea
          aria-label="停用理由"
          placeholder="请说明停用理由（已用的任务和检查照旧）"
          maxLength={500}
          onChange={(e) => (reason = e.target.value)}
        />
      ),
      okText: '停用',
      cancelText: '取消',
      onOk: async () => {
        const result = await retire({ id: item.id, reason });
        if (result.error) {
          message.error(errorText(result.error));
          throw result.error;
        }
        reload();
      },
    });
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Select
          allowClear
          placeholder="全部部门"
          style={{ minWidth: 240 }}
          value={departmentId}
          onChange={setDepartmentId}
          options={data?.departments.map((d) => ({ value: d.id, label: d.name }))}
          aria-label="部门"
        />
        <Space>
          <Switch checked={includeRetired} onChange={setIncludeRetired} aria-label="含已停用" />
          含已停用
        </Space>
        <Typography.Text>共 {data?.checkItems.length ?? 0} 项</Typography.Text>
        {writes && (
          <Button type="primary" onClick={() => setEditing('new')}>
            新增检查事项
          </Button>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      <Table<Item>
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={data?.checkItems ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        columns={[
          { title: '编码', dataIndex: 'code', width: 110 },
          { title: '部门', key: 'department', width: 110, render: (_, i) => i.department.shortName },
          {
            title: '抽查事项',
            key: 'item',
            render: (_, i) => (
              <Space direction="vertical" size={0}>
                <span>
                  <Tag color={i.kind === 'KEY' ? 'red' : 'default'}>{KINDS[i.kind]}</Tag>
                  {i.item}
                  {i.retiredAt && <Tag style={{ marginLeft: 8 }}>已停用</Tag>}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {i.category} · {InspectionMethodLabels[i.method]}
                  {i.retireReason ? ` · 停用理由：${i.retireReason}` : ''}
                </Typography.Text>
              </Space>
            ),
          },
          { title: '使用任务', dataIndex: 'usedByTasks', width: 90, align: 'right' },
          {
            title: '操作',
            key: 'actions',
            width: 170,
            render: (_, i) =>
              i.viewerCanEdit && !i.retiredAt ? (
                <Space size="small">
                  <Button size="small" onClick={() => setEditing(i)}>
                    修改
                  </Button>
                  {i.usedByTasks > 0 ? (
                    <Button size="small" onClick={() => askRetire(i)}>
                      停用
                    </Button>
                  ) : (
                    <Popconfirm
                      title="删除该检查事项？"
                      okText="删除"
                      cancelText="取消"
                      onConfirm={async () => {
                        const result = await remove({ id: i.id });
                        if (result.error) message.error(errorText(result.error));
                        reload();
                      }}
                    >
                      <Button size="small" danger>
                        删除
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ) : null,
          },
        ]}
      />
      {editing && (
        <ItemModal
          item={editing === 'new' ? null : editing}
          onClose={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
    </Space>
  );
}
