import { Button, Card, Col, Input, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { useAuth } from '../auth/auth-context';
import { RegistryChoices } from './choices';
import { EnterpriseModal } from './EnterpriseModal';
import { graphql } from '../gql';
import type { EnterpriseStatus, RiskClass } from '../gql/graphql';
import { ENTERPRISE_STATUS_LABELS, RISK_LABELS } from './labels';
import { CursorPager } from '../common/CursorPager';
import { useCursorPages } from '../common/use-cursor-pages';

const Enterprises = graphql(`
  query RegistryEnterprises(
    $first: Int!
    $after: String
    $search: String
    $industryIds: [ID!]
    $regionIds: [ID!]
    $riskClasses: [RiskClass!]
    $statuses: [EnterpriseStatus!]
  ) {
    enterprises(
      first: $first
      after: $after
      search: $search
      industryIds: $industryIds
      regionIds: $regionIds
      riskClasses: $riskClasses
      statuses: $statuses
    ) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        id
        uscc
        name
        riskClass
        status
        address
        legalRepresentative
        region {
          id
          name
        }
        industries {
          id
          name
        }
      }
    }
    enterpriseRiskCounts(search: $search, industryIds: $industryIds, regionIds: $regionIds, statuses: $statuses) {
      riskClass
      count
    }
  }
`);

const PAGE_SIZE = 50;

/** 监管对象名录库: filter by industry, region, risk class and status, with counts per risk class. */
export function EnterprisesTab({ refreshKey }: { refreshKey: number }) {
  const [search, setSearch] = useState<string>();
  const [industryIds, setIndustryIds] = useState<string[]>([]);
  const [regionIds, setRegionIds] = useState<string[]>([]);
  const [riskClasses, setRiskClasses] = useState<RiskClass[]>([]);
  const [statuses, setStatuses] = useState<EnterpriseStatus[]>([]);
  const pages = useCursorPages();
  const { session } = useAuth();
  const [editing, setEditing] = useState<string | null>(null);
  const writes = session?.user.roles.some((r) => r === 'STAFF' || r === 'HEAD') ?? false;
  const [{ data: choices }] = useQuery({ query: RegistryChoices });
  const filters = {
    search: search || null,
    industryIds: industryIds.length ? industryIds : null,
    regionIds: regionIds.length ? regionIds : null,
    statuses: statuses.length ? statuses : null,
  };
  const [{ data, fetching }, refetch] = useQuery({
    query: Enterprises,
    variables: { first: PAGE_SIZE, after: pages.after, ...filters, riskClasses: riskClasses.length ? riskClasses : null },
  });
  useEffect(() => {
    if (refreshKey) refetch({ requestPolicy: 'network-only' });
  }, [refreshKey, refetch]);
  const { reset } = pages;
  useEffect(reset, [search, industryIds, regionIds, riskClasses, statuses, reset]);
  const list = data?.enterprises;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Input.Search
          placeholder="企业名称或统一社会信用代码"
          allowClear
          onSearch={(v) => setSearch(v.trim() || undefined)}
          style={{ width: 280 }}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="行业"
          style={{ minWidth: 200 }}
          value={industryIds}
          onChange={setIndustryIds}
          options={choices?.industries.map((i) => ({ value: i.id, label: i.name }))}
          optionFilterProp="label"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="所属区域"
          style={{ minWidth: 180 }}
          value={regionIds}
          onChange={setRegionIds}
          options={choices?.regions.map((r) => ({ value: r.id, label: r.name }))}
          optionFilterProp="label"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="信用风险分类"
          style={{ minWidth: 180 }}
          value={riskClasses}
          onChange={setRiskClasses}
          options={Object.entries(RISK_LABELS).map(([value, { label }]) => ({ value, label }))}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="登记状态"
          style={{ minWidth: 140 }}
          value={statuses}
          onChange={setStatuses}
          options={Object.entries(ENTERPRISE_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
        />
        {writes && (
          <Button type="primary" onClick={() => setEditing('new')}>
            新增监管对象
          </Button>
        )}
      </Space>
      <Row gutter={16}>
        <Col xs={12} md={4}>
          <Card size="small">
            <Statistic title="符合条件" value={list?.totalCount ?? 0} suffix="户" />
          </Card>
        </Col>
        {(data?.enterpriseRiskCounts ?? []).map(({ riskClass, count }) => (
          <Col xs={12} md={4} key={riskClass}>
            <Card size="small">
              <Statistic title={RISK_LABELS[riskClass].label} value={count} suffix="户" />
            </Card>
          </Col>
        ))}
      </Row>
      <Table
        rowKey="id"
        size="small"
        loading={fetching}
        dataSource={list?.nodes ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: '统一社会信用代码', dataIndex: 'uscc', width: 190, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          {
            title: '企业名称',
            key: 'name',
            // The firm's credit archive opens from its row.
            render: (_, e) => <Link to={`/archive/${e.uscc}`}>{e.name}</Link>,
          },
          { title: '行业', key: 'industries', render: (_, e) => e.industries.map((i) => <Tag key={i.id}>{i.name}</Tag>) },
          { title: '所属区域', key: 'region', width: 110, render: (_, e) => e.region.name },
          {
            title: '信用风险分类',
            dataIndex: 'riskClass',
            width: 120,
            render: (r: RiskClass) => <Tag color={RISK_LABELS[r].color}>{RISK_LABELS[r].label}</Tag>,
          },
          { title: '登记状态', dataIndex: 'status', width: 90, render: (s: EnterpriseStatus) => ENTERPRISE_STATUS_LABELS[s] },
          ...(writes
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 80,
                  render: (_: unknown, e: { id: string }) => (
                    <Button size="small" onClick={() => setEditing(e.id)}>
                      修改
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <CursorPager pages={pages} pageInfo={list?.pageInfo} />
      {editing && (
        <EnterpriseModal
          id={editing === 'new' ? null : editing}
          onClose={() => {
            setEditing(null);
            refetch({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </Space>
  );
}
