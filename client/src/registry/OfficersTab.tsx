import dayjs from 'dayjs';
import { Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { OfficerModal, type OfficerForForm } from './OfficerModal';
import { graphql } from '../gql';
import type { OfficerStatus } from '../gql/graphql';
import { OFFICER_STATUS_LABELS } from './labels';
import { CursorPager } from '../common/CursorPager';
import { useCursorPages } from '../common/use-cursor-pages';

const Officers = graphql(`
  query RegistryOfficers(
    $first: Int!
    $after: String
    $search: String
    $departmentIds: [ID!]
    $specialty: String
    $statuses: [OfficerStatus!]
  ) {
    officers(first: $first, after: $after, search: $search, departmentIds: $departmentIds, specialty: $specialty, statuses: $statuses) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        id
        certificateNo
        name
        specialties
        status
        certificateValidUntil
        viewerCanEdit
        department {
          id
          shortName
          name
        }
        region {
          id
          name
        }
      }
    }
    departments {
      id
      name
    }
  }
`);

/** 执法人员名录库. */
export function OfficersTab({ refreshKey }: { refreshKey: number }) {
  const [search, setSearch] = useState<string>();
  const [departmentIds, setDepartmentIds] = useState<string[]>([]);
  const [specialty, setSpecialty] = useState<string>();
  const [statuses, setStatuses] = useState<OfficerStatus[]>([]);
  const pages = useCursorPages();
  const [{ data, fetching }, refetch] = useQuery({
    query: Officers,
    variables: {
      first: 50,
      after: pages.after,
      search: search || null,
      departmentIds: departmentIds.length ? departmentIds : null,
      specialty: specialty || null,
      statuses: statuses.length ? statuses : null,
    },
  });
  useEffect(() => {
    if (refreshKey) refetch({ requestPolicy: 'network-only' });
  }, [refreshKey, refetch]);
  const { reset } = pages;
  useEffect(reset, [search, departmentIds, specialty, statuses, reset]);
  const list = data?.officers;
  const { session } = useAuth();
  const [editing, setEditing] = useState<OfficerForForm | 'new' | null>(null);
  const writes = session?.user.roles.some((r) => r === 'STAFF' || r === 'HEAD') ?? false;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Input.Search placeholder="姓名或执法证号" allowClear onSearch={(v) => setSearch(v.trim() || undefined)} style={{ width: 220 }} />
        <Select
          mode="multiple"
          allowClear
          placeholder="所属部门"
          style={{ minWidth: 240 }}
          value={departmentIds}
          onChange={setDepartmentIds}
          options={data?.departments.map((d) => ({ value: d.id, label: d.name }))}
          optionFilterProp="label"
        />
        <Input.Search
          placeholder="业务专长，如 二手车"
          allowClear
          onSearch={(v) => setSpecialty(v.trim() || undefined)}
          style={{ width: 200 }}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="状态"
          style={{ minWidth: 120 }}
          value={statuses}
          onChange={setStatuses}
          options={Object.entries(OFFICER_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <Typography.Text>共 {list?.totalCount ?? 0} 人</Typography.Text>
        {writes && (
          <Button type="primary" onClick={() => setEditing('new')}>
            新增执法人员
          </Button>
        )}
      </Space>
      <Table
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={list?.nodes ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        columns={[
          { title: '执法证号', dataIndex: 'certificateNo', width: 130 },
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '所属部门', key: 'department', render: (_, o) => o.department.name },
          { title: '业务专长', key: 'specialties', render: (_, o) => o.specialties.map((s) => <Tag key={s}>{s}</Tag>) },
          {
            title: '状态',
            dataIndex: 'status',
            width: 80,
            render: (s: OfficerStatus) => (s === 'ACTIVE' ? <Tag color="green">在岗</Tag> : <Tag>不在岗</Tag>),
          },
          {
            title: '执法证有效期',
            dataIndex: 'certificateValidUntil',
            width: 170,
            render: (v?: string | null) => <CertificateValidity until={v} />,
          },
          {
            title: '操作',
            key: 'actions',
            width: 80,
            render: (_, o) =>
              o.viewerCanEdit ? (
                <Button size="small" onClick={() => setEditing(o)}>
                  修改
                </Button>
              ) : null,
          },
        ]}
      />
      <CursorPager pages={pages} pageInfo={list?.pageInfo} />
      {editing && (
        <OfficerModal
          officer={editing === 'new' ? null : editing}
          onClose={() => {
            setEditing(null);
            refetch({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </Space>
  );
}

/** 证件过期 (never drawn: the pool leaves it out) or a warning 30 days ahead, beside the date. */
function CertificateValidity({ until }: { until?: string | null }) {
  if (!until) return <span>长期</span>;
  const days = dayjs(until).diff(dayjs().startOf('day'), 'day');
  return (
    <Space size={4}>
      <span>{until}</span>
      {days < 0 ? <Tag color="red">证件过期</Tag> : days <= 30 ? <Tag color="orange">{days} 天后到期</Tag> : null}
    </Space>
  );
}
