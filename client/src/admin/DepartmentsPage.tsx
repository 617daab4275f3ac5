import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { AdminDepartmentsQuery, DepartmentLevel } from '../gql/graphql';
import { errorText } from '../graphql/client';

const Departments = graphql(`
  query AdminDepartments {
    departments {
      id
      code
      name
      shortName
      level
      region {
        id
        name
      }
      parent {
        id
        name
      }
    }
    regions {
      id
      code
      name
    }
  }
`);

const Create = graphql(`
  mutation CreateDepartment($input: DepartmentInput!) {
    createDepartment(input: $input) {
      id
    }
  }
`);

const Update = graphql(`
  mutation UpdateDepartment($id: ID!, $input: DepartmentInput!) {
    updateDepartment(id: $id, input: $input) {
      id
    }
  }
`);

type Row = AdminDepartmentsQuery['departments'][number];
const LEVELS: Record<DepartmentLevel, string> = { CITY: '市级', COUNTY: '县级' };

function DepartmentForm({ department, data, onDone }: { department: Row | null; data: AdminDepartmentsQuery; onDone: () => void }) {
  const [form] = Form.useForm();
  const level = Form.useWatch('level', form) as DepartmentLevel | undefined;
  const [creating, create] = useMutation(Create);
  const [updating, update] = useMutation(Update);
  const error = creating.error ?? updating.error;
  return (
    <Modal
      open
      title={department ? `修改部门：${department.name}` : '新建部门'}
      okText="保存"
      okButtonProps={{ loading: creating.fetching || updating.fetching }}
      onCancel={onDone}
      onOk={async () => {
        const { code, ...values } = (await form.validateFields()) as Record<string, string | null>;
        const input = { ...values, parentId: values.level === 'COUNTY' ? (values.parentId ?? null) : null };
        const result = department ? await update({ id: department.id, input }) : await create({ input: { ...input, code } });
        if (result.data) onDone();
      }}
    >
      {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={
          department
            ? { ...department, regionId: department.region.id, parentId: department.parent?.id }
            : { level: 'COUNTY' satisfies DepartmentLevel }
        }
      >
        <Form.Item
          name="code"
          label="部门代码"
          rules={[{ required: !department, message: '请填写部门代码' }]}
          extra="用于导入与账号命名，创建后不能修改，如 qinshui-commerce"
        >
          <Input disabled={Boolean(department)} />
        </Form.Item>
        <Form.Item name="name" label="全称" rules={[{ required: true, message: '请填写全称' }]}>
          <Input placeholder="如 沁水县商务局" />
        </Form.Item>
        <Form.Item name="shortName" label="简称（计划文本中的写法）" rules={[{ required: true, message: '请填写简称' }]}>
          <Input placeholder="如 县商务局" />
        </Form.Item>
        <Form.Item name="level" label="层级" rules={[{ required: true }]}>
          <Select options={Object.entries(LEVELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="regionId" label="所在区划" rules={[{ required: true, message: '请选择区划' }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={data.regions.map((r) => ({ value: r.id, label: `${r.name}（${r.code}）` }))}
          />
        </Form.Item>
        {level === 'COUNTY' && (
          <Form.Item name="parentId" label="对应的市级部门（市抽县查）">
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              options={data.departments.filter((d) => d.level === 'CITY').map((d) => ({ value: d.id, label: d.name }))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 部门管理 (系统管理员): the departments, their level and region, and the city department a county bureau answers to. */
export function DepartmentsPage() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: Departments });
  const [editing, setEditing] = useState<Row | 'new' | null>(null);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          部门管理
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} disabled={!data}>
          新建部门
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      <Table<Row>
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={data?.departments ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: '代码', dataIndex: 'code', width: 170 },
          { title: '全称', dataIndex: 'name' },
          { title: '简称', dataIndex: 'shortName', width: 130 },
          { title: '层级', key: 'level', width: 70, render: (_, d) => <Tag>{LEVELS[d.level]}</Tag> },
          { title: '区划', key: 'region', width: 110, render: (_, d) => d.region.name },
          { title: '上级市级部门', key: 'parent', render: (_, d) => d.parent?.name ?? '—' },
          {
            title: '',
            key: 'edit',
            width: 70,
            render: (_, d) => (
              <Button size="small" type="link" onClick={() => setEditing(d)}>
                修改
              </Button>
            ),
          },
        ]}
      />
      {editing && data && (
        <DepartmentForm
          department={editing === 'new' ? null : editing}
          data={data}
          onDone={() => {
            setEditing(null);
            refetch({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </Space>
  );
}
