import { Alert, Button, DatePicker, Form, Input, Layout, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { CursorPager } from '../common/CursorPager';
import { useCursorPages } from '../common/use-cursor-pages';
import { graphql } from '../gql';
import type { PublicResultListQuery } from '../gql/graphql';
import { errorText } from '../graphql/client';

/** An item's result as the public record shows it; the staff page uses the same fields. */
export const PublicItemFields = graphql(`
  fragment PublicItemFields on PublicItemResult {
    itemId
    department
    category
    item
    results
    problemKinds
    resultText
    corrected
  }
`);

const Results = graphql(`
  query PublicResultList($enterprise: String, $departmentId: ID, $taskId: ID, $from: String, $to: String, $after: String) {
    publicResults(enterprise: $enterprise, departmentId: $departmentId, taskId: $taskId, from: $from, to: $to, first: 20, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        id
        enterpriseName
        uscc
        departments
        completedOn
        publishedOn
        corrected
        correctedOn
        correctionReason
        version
        tasks {
          planNo
          planName
          taskNo
          taskName
          drawType
        }
        items {
          ...PublicItemFields
        }
      }
    }
    publicFilterOptions {
      departments {
        id
        name
      }
      tasks {
        id
        name
        planName
      }
    }
  }
`);

const Versions = graphql(`
  query PublicResultVersions($id: ID!) {
    publicResult(id: $id) {
      id
      enterpriseName
      versions {
        version
        effectiveOn
        reason
        items {
          ...PublicItemFields
        }
      }
    }
  }
`);

type Row = PublicResultListQuery['publicResults']['nodes'][number];
type Filter = { enterprise?: string; departmentId?: string; taskId?: string; from?: string; to?: string };

const DRAW_TYPES: Record<string, string> = { DIRECTED: '定向', UNDIRECTED: '不定向' };

/** One line for the list: “未发现问题” when every item says so, else the items that did not. */
function summary(row: Row): string {
  const texts = [...new Set(row.items.map((i) => i.resultText))];
  return texts.length === 1 ? texts[0] : texts.filter((t) => t !== '未发现问题').join('；');
}

function ItemsTable({ items }: { items: { itemId: string; department: string; item: string; resultText: string; corrected: boolean }[] }) {
  return (
    <Table
      rowKey="itemId"
      size="small"
      pagination={false}
      dataSource={items}
      columns={[
        { title: '抽查机关', dataIndex: 'department', width: 200 },
        { title: '检查事项', dataIndex: 'item' },
        {
          title: '检查结果',
          key: 'result',
          width: 320,
          render: (_, i) => (
            <Space>
              <span>{i.resultText}</span>
              {i.corrected && <Tag color="orange">已更正</Tag>}
            </Space>
          ),
        },
      ]}
    />
  );
}

function VersionsDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const [{ data, fetching, error }] = useQuery({ query: Versions, variables: { id } });
  return (
    <Modal open title={`历次公示版本：${data?.publicResult.enterpriseName ?? ''}`} onCancel={onClose} footer={null} width={900}>
      {error && <Alert type="error" showIcon title={errorText(error)} />}
      {fetching && <Typography.Text>加载中…</Typography.Text>}
      {data?.publicResult.versions.map((v) => (
        <section key={v.version} style={{ marginBottom: 16 }}>
          <Typography.Title level={5}>
            第 {v.version} 版（{v.effectiveOn}）{v.reason ? `更正理由：${v.reason}` : '首次公示'}
          </Typography.Title>
          <ItemsTable items={v.items} />
        </section>
      ))}
    </Modal>
  );
}

/** The public results page (一公开): no login, published results only, searchable. */
export function PublicPage() {
  const [filter, setFilter] = useState<Filter>({});
  const pages = useCursorPages();
  const [{ data, fetching, error }] = useQuery({ query: Results, variables: { ...filter, after: pages.after } });
  const [versionsOf, setVersionsOf] = useState<string | null>(null);
  const [form] = Form.useForm();
  const options = data?.publicFilterOptions;

  const search = (values: { enterprise?: string; departmentId?: string; taskId?: string; dates?: [Dayjs, Dayjs] | null }) => {
    pages.reset();
    setFilter({
      enterprise: values.enterprise?.trim() || undefined,
      departmentId: values.departmentId,
      taskId: values.taskId,
      from: values.dates?.[0]?.format('YYYY-MM-DD'),
      to: values.dates?.[1]?.format('YYYY-MM-DD'),
    });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ background: '#b71c1c', display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '0 16px' }}>
        <Typography.Title level={3} style={{ color: '#fff', margin: 0 }}>
          “双随机、一公开”抽查结果公示
        </Typography.Title>
        <Link to="/login" style={{ color: '#fff' }}>
          工作人员登录
        </Link>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1400, width: '100%', margin: '0 auto' }}>
        <Typography.Paragraph type="secondary">
          依据“谁检查、谁录入、谁公开”，各抽查机关在检查完成之日起 20 个工作日内公示抽查结果；更正须经部门负责人批准，并保留历次版本。
        </Typography.Paragraph>
        <Form form={form} layout="inline" onFinish={search} style={{ rowGap: 8, marginBottom: 16 }}>
          <Form.Item name="enterprise" label="企业">
            <Input allowClear placeholder="企业名称或统一社会信用代码" style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="departmentId" label="抽查机关">
            <Select allowClear placeholder="全部" style={{ width: 220 }} options={options?.departments.map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.Item name="taskId" label="抽查任务">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 280 }}
              options={options?.tasks.map((t) => ({ value: t.id, label: t.name, title: t.planName ?? undefined }))}
            />
          </Form.Item>
          <Form.Item name="dates" label="完成日期">
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  search({});
                }}
              >
                重置
              </Button>
            </Space>
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon title={errorText(error)} style={{ marginBottom: 16 }} />}
        <Space style={{ marginBottom: 8 }}>
          <Typography.Text>共 {data?.publicResults.totalCount ?? 0} 条</Typography.Text>
          {/* The same filters as the list; one line per item, for spreadsheets and other systems. */}
          <Button size="small" href={`/api/public-results.csv?${new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][])}`}>
            导出 CSV
          </Button>
        </Space>
        <Table<Row>
          rowKey="id"
          size="middle"
          loading={fetching}
          dataSource={data?.publicResults.nodes ?? []}
          pagination={false}
          scroll={{ x: 1100 }}
          expandable={{
            expandedRowRender: (row) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {row.tasks.map((t) => (
                  <Typography.Text key={t.taskNo}>
                    抽查计划：{t.planName}（{t.planNo}）　抽查任务：{t.taskName}（{t.taskNo}）{t.drawType ? `　抽查类型：${DRAW_TYPES[t.drawType]}` : ''}
                  </Typography.Text>
                ))}
                {row.corrected && (
                  <Alert
                    type="warning"
                    showIcon
                    title={`已更正（${row.correctedOn}）：${row.correctionReason}`}
                    action={
                      <Button size="small" onClick={() => setVersionsOf(row.id)}>
                        历次版本
                      </Button>
                    }
                  />
                )}
                <ItemsTable items={row.items} />
              </Space>
            ),
          }}
          columns={[
            {
              title: '企业名称',
              key: 'name',
              render: (_, r) => (
                <Space>
                  <span>{r.enterpriseName}</span>
                  {r.corrected && <Tag color="orange">已更正</Tag>}
                </Space>
              ),
            },
            { title: '统一社会信用代码', dataIndex: 'uscc', width: 190 },
            { title: '抽查机关', key: 'departments', render: (_, r) => r.departments.join('、') },
            { title: '抽查任务', key: 'tasks', render: (_, r) => r.tasks.map((t) => t.taskName).join('；') },
            { title: '抽查完成日期', dataIndex: 'completedOn', width: 120 },
            { title: '公示日期', dataIndex: 'publishedOn', width: 110 },
            { title: '检查结果', key: 'result', render: (_, r) => summary(r) },
          ]}
        />
        <div style={{ marginTop: 16 }}>
          <CursorPager pages={pages} pageInfo={data?.publicResults.pageInfo} />
        </div>
        {versionsOf && <VersionsDialog id={versionsOf} onClose={() => setVersionsOf(null)} />}
      </Layout.Content>
    </Layout>
  );
}
